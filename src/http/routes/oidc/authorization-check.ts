import { isPublicClient, redirectUrisOf } from '../../../auth/clients.js';
import { type AuthorizationCheck, checkAuthorizationRequest, clientIdOf } from '../../../domain/sign-in/authorization-request.js';
import type { AppContext } from '../../context.js';

/**
 * The authorization request in a query, checked against the client it names as the deployment has
 * it now (read from the store when this process does not know it yet). The page and its post both
 * check it: a client removed in between gets no code.
 */
export async function checkQuery(ctx: AppContext, query: unknown): Promise<AuthorizationCheck> {
  const fields = typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
  const id = clientIdOf(fields);
  const client = id === undefined ? undefined : await ctx.issuer!.registry.lookup(id);
  const view = client && {
    clientId: client.clientId,
    public: isPublicClient(client),
    redirectUris: redirectUrisOf(client, ctx.config.publicUrl),
    scopes: client.scopes,
  };
  return checkAuthorizationRequest(fields, view, ctx.config.auth.issuer);
}
