/** A user the service has seen: the `sub` of its tokens, and the e-mail address it was last seen with. */
export interface User {
  subject: string;
  email: string | null;
}
