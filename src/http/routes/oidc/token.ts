import type { Static } from 'typebox';
import type { OAuthClient } from '../../../auth/clients.js';
import { isPublicClient } from '../../../auth/clients.js';
import { isPlainObject } from '../../../domain/request-body.js';
import { isOAuthFailure, oauthErrors, type OAuthFailure } from '../../../domain/sign-in/oauth-errors.js';
import { isCodeVerifier } from '../../../domain/sign-in/pkce.js';
import { redeemCode } from '../../../domain/sign-in/redeem-code.js';
import { refresh } from '../../../domain/sign-in/refresh.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { OAuthError, TokenForm, TokenResponse } from '../../schemas/oidc.js';
import { domainChecksBody } from '../../validation.js';
import { tokenClient } from './client-authentication.js';
import { grantTokens } from './grant-tokens.js';

const GRANTS = ['client_credentials', 'authorization_code', 'refresh_token'];

/**
 * OAuth 2.0 token endpoint: client_credentials (RFC 6749 §4.4, confidential clients: a token of
 * their own), authorization_code with PKCE (§4.1.3, RFC 7636: a person's token after sign-in) and
 * refresh_token with rotation (§6). Errors use OAuth's shape; every answer is `no-store`.
 */
export function tokenRoute(app: App, ctx: AppContext): void {
  const issuer = ctx.issuer!;
  app.route({
    ...fromTable(operations.token),
    schema: {
      operationId: operations.token.id,
      tags: ['Built-in issuer'],
      summary: 'Issue tokens (client_credentials, authorization_code, refresh_token)',
      consumes: ['application/x-www-form-urlencoded'],
      body: TokenForm,
      response: { 200: TokenResponse, 400: OAuthError, 401: OAuthError },
    },
    // The grant is checked below so that every problem is answered in OAuth's error shape.
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const form = isPlainObject(request.body) ? (request.body as Record<string, unknown>) : {};
      // Only the documented fields can be read: the form's schema names them.
      const field = (name: keyof typeof TokenForm.properties) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      const answer = await grant(field, request.headers.authorization);
      if (isOAuthFailure(answer)) {
        if (answer.status === 401) reply.header('www-authenticate', 'Basic realm="twinsync"');
        if (answer.error === 'invalid_grant')
          request.log.info({ grant: field('grant_type'), client: field('client_id'), reason: answer.description }, 'token request refused');
        return reply.status(answer.status).send({ error: answer.error, error_description: answer.description });
      }
      return reply.send(answer);
    },
  });

  async function grant(field: (name: keyof typeof TokenForm.properties) => string | undefined, authorization: string | undefined) {
    const type = field('grant_type');
    if (type === undefined) return oauthErrors.invalidRequest('grant_type is required.');
    if (!GRANTS.includes(type)) return oauthErrors.unsupportedGrantType(`Supported grants: ${GRANTS.join(', ')}.`);
    const client = await tokenClient((id) => issuer.registry.lookup(id), authorization, field);
    if (isOAuthFailure(client)) return client;
    if (type === 'client_credentials') return clientCredentials(client, field('scope'));

    const now = ctx.now();
    if (type === 'authorization_code') {
      const code = field('code');
      const redirectUri = field('redirect_uri');
      const codeVerifier = field('code_verifier');
      if (!code) return oauthErrors.invalidRequest('code is required.');
      if (!redirectUri) return oauthErrors.invalidRequest('redirect_uri is required.');
      if (!codeVerifier) return oauthErrors.invalidRequest('code_verifier is required (PKCE).');
      if (!isCodeVerifier(codeVerifier)) return oauthErrors.invalidRequest('code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~.');
      const granted = await redeemCode(ctx.store, { code, clientId: client.clientId, redirectUri, codeVerifier }, ctx.config.auth.signIn, now);
      return isOAuthFailure(granted) ? granted : grantTokens(issuer, granted);
    }
    const refreshToken = field('refresh_token');
    if (!refreshToken) return oauthErrors.invalidRequest('refresh_token is required.');
    const scope = field('scope');
    const granted = await refresh(
      ctx.store,
      { refreshToken, clientId: client.clientId, ...(scope === undefined ? {} : { scope }) },
      ctx.config.auth.signIn,
      now,
    );
    return isOAuthFailure(granted) ? granted : grantTokens(issuer, granted);
  }

  /** A confidential client's own token, with the scopes it asks for among its own (all of them when none). */
  async function clientCredentials(client: OAuthClient, scope: string | undefined): Promise<OAuthFailure | Static<typeof TokenResponse>> {
    if (isPublicClient(client)) return oauthErrors.unauthorizedClient('A public client gets tokens only for people who sign in (authorization_code).');
    const requested = scope?.split(' ').filter(Boolean) ?? [];
    const scopes = [...new Set(requested.length > 0 ? requested : client.scopes)];
    const refused = scopes.filter((s) => !client.scopes.includes(s));
    if (refused.length > 0) return oauthErrors.invalidScope(`Scope not allowed for this client: ${refused.join(' ')}.`);
    const { token, expiresIn } = await issuer.issue({
      subject: client.subject,
      clientId: client.clientId,
      scopes,
      ...(client.email ? { email: client.email } : {}),
    });
    return { access_token: token, token_type: 'Bearer' as const, expires_in: expiresIn, scope: scopes.join(' ') };
  }
}
