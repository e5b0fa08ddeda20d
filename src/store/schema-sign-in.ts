/** Rows of the built-in issuer's sign-in (migration 0020). */
export interface AccountRow {
  id: string;
  email: string;
  /** `email` in lower case: unique. */
  email_key: string;
  display_name: string;
  given_name: string | null;
  surname: string | null;
  /** `scrypt$…`: salt, parameters and hash. */
  password: string;
  failed_sign_ins: number;
  last_failed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface AuthorizationCodeRow {
  code_hash: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  subject: string;
  /** Space-separated. */
  scopes: string;
  nonce: string | null;
  auth_time: string;
  expires_at: string;
  used_at: string | null;
}

export interface RefreshTokenRow {
  token_hash: string;
  family_id: string;
  client_id: string;
  subject: string;
  /** Space-separated. */
  scopes: string;
  auth_time: string;
  created_at: string;
  expires_at: string;
  session_expires_at: string;
  used_at: string | null;
}
