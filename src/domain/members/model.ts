/** A member of an iTwin: a user (or service principal) named by the `sub` of its tokens. */
export interface Member {
  iTwinId: string;
  userId: string;
  createdAt: string;
  /** Owners have every permission; an iTwin keeps at least one. */
  owner: boolean;
}
