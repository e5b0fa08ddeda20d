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
      // The built-in issuer grants client_credentials only; its authorization endpoint says so.
      response_types_supported: [],
      grant_types_supported: ['client_credentials'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['itwin-platform', 'synchronization:read', 'synchronization:modify'],
      claims_supported: ['sub', 'client_id', 'scope', 'iss', 'aud', 'exp', 'iat', 'nbf', 'jti'],
    }),
  });
}
