import { type App, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { OAuthError } from '../../schemas/oidc.js';

/**
 * Discovery documents must name an authorization endpoint. The built-in issuer has no interactive
 * login (tokens come from client_credentials or `npm run token`), and says so in OAuth's words.
 */
export function authorizeRoute(app: App): void {
  app.route({
    ...fromTable(operations.authorize),
    schema: {
      operationId: operations.authorize.id,
      tags: ['Built-in issuer'],
      summary: 'Not supported: use client_credentials',
      response: { 400: OAuthError },
    },
    handler: async (_request, reply) =>
      reply.status(400).send({
        error: 'unsupported_response_type',
        error_description: 'The built-in issuer grants tokens with client_credentials only (POST /connect/token, or npm run token).',
      }),
  });
}
