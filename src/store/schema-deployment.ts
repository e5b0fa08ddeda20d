/** Rows of what the processes of a deployment share (migration 0008). */
export interface DeploymentSecretRow {
  name: string;
  value: string;
  created_at: string;
}

export interface OAuthClientRow {
  client_id: string;
  client_secret: string;
  subject: string;
  /** JSON array of strings. */
  scopes: string;
  /** JSON array of strings, `[]` when none. */
  redirect_uris: string;
  /** The client's e-mail address (migration 0013), null when none was given. */
  email: string | null;
  created_at: string;
  updated_at: string;
}
