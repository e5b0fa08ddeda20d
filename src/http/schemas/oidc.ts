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
  grant_type: Type.String({ description: 'client_credentials' }),
  scope: Type.Optional(Type.String({ description: 'Space-separated scopes; the client\u2019s own scopes when absent.' })),
  client_id: Type.Optional(Type.String({ description: 'With client_secret, instead of HTTP Basic.' })),
  client_secret: Type.Optional(Type.String()),
});

export const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  scope: Type.String(),
});

/** RFC 6749 §5.2 error body. */
export const OAuthError = Type.Object({ error: Type.String(), error_description: Type.Optional(Type.String()) });
