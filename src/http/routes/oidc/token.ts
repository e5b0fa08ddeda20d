import { authenticateClient, type OAuthClient } from '../../../auth/clients.js';
import { isPlainObject } from '../../../domain/request-body.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { OAuthError, TokenForm, TokenResponse } from '../../schemas/oidc.js';
import { domainChecksBody } from '../../validation.js';

type OAuthFailure = { status: 400 | 401; error: string; description: string };

const oauthError = (status: 400 | 401, error: string, description: string): OAuthFailure => ({ status, error, description });

/**
 * OAuth 2.0 token endpoint, client_credentials grant (RFC 6749 §4.4). The client authenticates with
 * HTTP Basic or with client_id/client_secret form fields, not both. Errors use OAuth's shape.
 */
export function tokenRoute(app: App, ctx: AppContext): void {
  const issuer = ctx.issuer!;
  app.route({
    ...fromTable(operations.token),
    schema: {
      operationId: operations.token.id,
      tags: ['Built-in issuer'],
      summary: 'Issue an access token (client_credentials)',
      consumes: ['application/x-www-form-urlencoded'],
      body: TokenForm,
      response: { 200: TokenResponse, 400: OAuthError, 401: OAuthError },
    },
    // The grant is checked below so that every problem is answered in OAuth's error shape.
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const form = isPlainObject(request.body) ? (request.body as Record<string, unknown>) : {};
      const outcome = await grant((id) => issuer.registry.lookup(id), request.headers.authorization, form);
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      if ('error' in outcome) {
        if (outcome.status === 401) reply.header('www-authenticate', 'Basic realm="twinsync"');
        return reply.status(outcome.status).send({ error: outcome.error, error_description: outcome.description });
      }
      const { token, expiresIn } = await issuer.issue({
        subject: outcome.client.subject,
        clientId: outcome.client.clientId,
        scopes: outcome.scopes,
        ...(outcome.client.email ? { email: outcome.client.email } : {}),
      });
      return reply.send({ access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: outcome.scopes.join(' ') });
    },
  });
}

/** `find`: the client of an id, looked for in the store when this process does not know it yet (ClientRegistry.lookup). */
async function grant(
  find: (clientId: string) => Promise<OAuthClient | undefined>,
  authorization: string | undefined,
  form: Record<string, unknown>,
): Promise<OAuthFailure | { client: OAuthClient; scopes: string[] }> {
  // Only the documented fields can be read: the form's schema names them.
  const field = (name: keyof typeof TokenForm.properties) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
  if (field('grant_type') === undefined) return oauthError(400, 'invalid_request', 'grant_type is required.');
  if (field('grant_type') !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', 'Only the client_credentials grant is supported.');
  }

  const basic = parseBasic(authorization);
  if (basic === null) return oauthError(401, 'invalid_client', 'The Authorization header is not valid HTTP Basic.');
  if (basic && field('client_secret') !== undefined) {
    return oauthError(400, 'invalid_request', 'Use one client authentication method, not both.');
  }
  const clientId = basic?.id ?? field('client_id');
  const clientSecret = basic?.secret ?? field('client_secret');
  if (!clientId || clientSecret === undefined) return oauthError(401, 'invalid_client', 'Client authentication is required.');
  const client = authenticateClient(await find(clientId), clientSecret);
  if (!client) return oauthError(401, 'invalid_client', 'Unknown client or wrong secret.');

  const requested = field('scope')?.split(' ').filter(Boolean) ?? [];
  const scopes = requested.length > 0 ? requested : client.scopes;
  const refused = scopes.filter((s) => !client.scopes.includes(s));
  if (refused.length > 0) return oauthError(400, 'invalid_scope', `Scope not allowed for this client: ${refused.join(' ')}.`);
  return { client, scopes: [...new Set(scopes)] };
}

/** undefined: no Basic header; null: a malformed one. RFC 6749 §2.3.1 form-encodes id and secret. */
function parseBasic(header: string | undefined): { id: string; secret: string } | undefined | null {
  if (!header || !/^Basic\s/i.test(header)) return undefined;
  const decoded = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}
