import { Type } from 'typebox';

/** GET /app/config.json: what the page needs before it has a token (docs/web-app.md). */
export const WebAppSettings = Type.Object({
  apiUrl: Type.String({ description: 'PUBLIC_URL: the origin every API call and href uses.' }),
  issuer: Type.String({ description: 'builtin (this service signs tokens) or external (AUTH_ISSUER).' }),
  authority: Type.String({ description: 'The OpenID provider: its discovery document is {authority}/.well-known/openid-configuration.' }),
  clientId: Type.Union([Type.String(), Type.Null()], { description: 'The public OAuth client the page signs in as; null when none is configured.' }),
  scope: Type.String({ description: 'The scopes the page asks for, space-separated.' }),
  redirectUri: Type.String({ description: 'Where the provider sends the browser back with a code: {PUBLIC_URL}/app/callback.' }),
});
