import { Type } from 'typebox';

export const OpenIdConfiguration = Type.Object({
  issuer: Type.String(),
  authorization_endpoint: Type.String(),
  token_endpoint: Type.String(),
  jwks_uri: Type.String(),
  response_types_supported: Type.Array(Type.String()),
  grant_types_supported: Type.Array(Type.String()),
  subject_types_supported: Type.Array(Type.String()),
  id_token_signing_alg_values_supported: Type.Array(Type.String()),
  token_endpoint_auth_methods_supported: Type.Array(Type.String()),
  scopes_supported: Type.Array(Type.String()),
  claims_supported: Type.Array(Type.String()),
  userinfo_endpoint: Type.String(),
  response_modes_supported: Type.Array(Type.String()),
  code_challenge_methods_supported: Type.Array(Type.String()),
  prompt_values_supported: Type.Array(Type.String()),
  authorization_response_iss_parameter_supported: Type.Boolean(),
  request_parameter_supported: Type.Boolean(),
  request_uri_parameter_supported: Type.Boolean(),
});

const PublicJwk = Type.Object(
  {
    kty: Type.String(),
    kid: Type.String(),
    alg: Type.String(),
    use: Type.String(),
    crv: Type.Optional(Type.String()),
    x: Type.Optional(Type.String()),
    y: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const Jwks = Type.Object({ keys: Type.Array(PublicJwk) });

export const TokenForm = Type.Object({
  grant_type: Type.String({ description: '`client_credentials`, `authorization_code` or `refresh_token`.' }),
  scope: Type.Optional(
    Type.String({
      description:
        'Space-separated scopes. client_credentials: the client\u2019s own scopes when absent. refresh_token: at most the sign-in\u2019s, all of them when absent.',
    }),
  ),
  client_id: Type.Optional(
    Type.String({ description: 'A public client names itself here; a confidential one may authenticate with it and client_secret instead of HTTP Basic.' }),
  ),
  client_secret: Type.Optional(Type.String()),
  code: Type.Optional(Type.String({ description: 'authorization_code: the code the redirect URI received.' })),
  redirect_uri: Type.Optional(Type.String({ description: 'authorization_code: exactly the redirect_uri of the authorization request.' })),
  code_verifier: Type.Optional(Type.String({ description: 'authorization_code: the PKCE verifier whose S256 challenge the authorization request sent.' })),
  refresh_token: Type.Optional(Type.String({ description: 'refresh_token: the last refresh token received (each is used once).' })),
});

export const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  scope: Type.String(),
  refresh_token: Type.Optional(Type.String({ description: 'authorization_code and refresh_token: the next refresh token; the one used is spent.' })),
  id_token: Type.Optional(Type.String({ description: 'When the sign-in asked for the openid scope.' })),
});

/** The authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OpenID Connect Core §3.1.2.1); documentation only, checked in the domain. */
export const AuthorizeQuery = Type.Object({
  response_type: Type.Optional(Type.String({ description: '`code`' })),
  client_id: Type.Optional(Type.String({ description: 'e.g. `twinsync-web`' })),
  redirect_uri: Type.Optional(Type.String({ description: 'Exactly one of the client\u2019s registered redirect URIs.' })),
  scope: Type.Optional(Type.String({ description: 'Space-separated: the client\u2019s API scopes and openid, profile, email, offline_access.' })),
  state: Type.Optional(Type.String({ description: 'Returned unchanged with the code or the error.' })),
  code_challenge: Type.Optional(Type.String({ description: 'base64url(SHA-256(code_verifier)), 43 characters.' })),
  code_challenge_method: Type.Optional(Type.String({ description: '`S256` (required; `plain` is refused).' })),
  nonce: Type.Optional(Type.String({ description: 'Copied into the ID token.' })),
  prompt: Type.Optional(Type.String({ description: '`none` is answered `login_required`; every sign-in asks for the password.' })),
  login_hint: Type.Optional(Type.String({ description: 'An e-mail address to fill the form with.' })),
  response_mode: Type.Optional(Type.String({ description: '`query` only.' })),
});

/** What the sign-in page posts; documentation only, checked in the domain. */
export const SignInForm = Type.Object({
  email: Type.String(),
  password: Type.String(),
  form_token: Type.String({ description: 'From the page; must come with the page\u2019s cookie.' }),
});

export const UserInfo = Type.Object({
  sub: Type.String(),
  email: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  given_name: Type.Optional(Type.String()),
  family_name: Type.Optional(Type.String()),
});

/** RFC 6749 §5.2 error body. */
export const OAuthError = Type.Object({ error: Type.String(), error_description: Type.Optional(Type.String()) });
