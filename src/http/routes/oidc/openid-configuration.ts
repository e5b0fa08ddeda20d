import { ALL_SCOPES } from '../../../auth/clients.js';
import { OPENID_SCOPES } from '../../../domain/sign-in/authorization-request.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { OpenIdConfiguration } from '../../schemas/oidc.js';

/** OpenID Connect discovery for the built-in issuer. */
export function openidConfigurationRoute(app: App, ctx: AppContext): void {
  const base = ctx.config.publicUrl;
  app.route({
    ...fromTable(operations.openidConfiguration),
    schema: {
      operationId: operations.openidConfiguration.id,
      tags: ['Built-in issuer'],
      summary: 'OpenID Connect discovery',
      response: { 200: OpenIdConfiguration },
    },
    handler: async () => ({
      issuer: ctx.config.auth.issuer,
      authorization_endpoint: `${base}${operations.authorize.url}`,
      token_endpoint: `${base}${operations.token.url}`,
      jwks_uri: `${base}${operations.jwks.url}`,
      userinfo_endpoint: `${base}${operations.userinfo.url}`,
      // People sign in with the authorization code flow and PKCE (S256 only); clients get their own tokens with client_credentials.
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      code_challenge_methods_supported: ['S256'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
      // `none`: public clients (the web application) send only their client_id, and prove themselves with PKCE.
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      scopes_supported: [...OPENID_SCOPES, ...ALL_SCOPES],
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'nonce',
        'email',
        'name',
        'given_name',
        'family_name',
        'client_id',
        'scope',
        'nbf',
        'jti',
      ],
      prompt_values_supported: ['login'],
      authorization_response_iss_parameter_supported: true,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
    }),
  });
}
