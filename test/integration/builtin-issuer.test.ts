import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { createBody, postCreate } from '../helpers/requests.js';

onEveryStore('built-in issuer', ({ h }) => {
  const client = () => h.issuer.clients[0]!;
  const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    h.app.inject({
      method: 'POST',
      url: '/connect/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(fields).toString(),
    });
  const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });

  it('publishes OpenID discovery and a JWKS with the signing key', async () => {
    const discovery = (await h.app.inject({ method: 'GET', url: '/.well-known/openid-configuration' })).json();
    for (const field of [
      'issuer',
      'authorization_endpoint',
      'token_endpoint',
      'jwks_uri',
      'response_types_supported',
      'subject_types_supported',
      'id_token_signing_alg_values_supported',
    ]) {
      assert.ok(field in discovery, field);
    }
    assert.equal(discovery.issuer, PUBLIC_URL);
    assert.equal(discovery.token_endpoint, `${PUBLIC_URL}/connect/token`);
    const jwks = (await h.app.inject({ method: 'GET', url: new URL(discovery.jwks_uri).pathname })).json();
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0].kty, 'EC');
    assert.equal(jwks.keys[0].alg, 'ES256');
    assert.equal('d' in jwks.keys[0], false, 'never the private part');
  });

  it('grants client_credentials with HTTP Basic, and the token creates a connection', async () => {
    const res = await form({ grant_type: 'client_credentials', scope: 'itwin-platform' }, basic(client().clientId, client().clientSecret!));
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.json();
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, h.config.auth.tokenTtlSeconds);
    const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url').toString());
    assert.equal(claims.sub, client().subject);
    assert.equal(claims.client_id, client().clientId);
    assert.equal(claims.scope, 'itwin-platform');
    assert.ok(claims.exp > Date.now() / 1000);

    const itwin = await h.itwin(client().subject);
    const created = await postCreate(h, createBody(await h.imodel(itwin, client().subject), [await h.file(itwin, 'x.ifc', client().subject)]), {
      token: body.access_token,
    });
    assert.equal(created.statusCode, 201);
  });

  it('grants with client_id/client_secret form fields, and gives the client its scopes when none are asked', async () => {
    const res = await form({ grant_type: 'client_credentials', client_id: client().clientId, client_secret: client().clientSecret! });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().scope.split(' ').sort(), [...client().scopes].sort());
  });

  it('refuses bad requests in OAuth error shape', async () => {
    const wrong = await form({ grant_type: 'client_credentials' }, basic(client().clientId, 'wrong'));
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().error, 'invalid_client');
    assert.match(wrong.headers['www-authenticate'] as string, /^Basic/);
    assert.equal((await form({ grant_type: 'client_credentials' })).json().error, 'invalid_client');
    assert.equal((await form({ grant_type: 'password' }, basic(client().clientId, client().clientSecret!))).json().error, 'unsupported_grant_type');
    assert.equal((await form({}, basic(client().clientId, client().clientSecret!))).json().error, 'invalid_request');
    const scope = await form({ grant_type: 'client_credentials', scope: 'admin' }, basic(client().clientId, client().clientSecret!));
    assert.equal(scope.statusCode, 400);
    assert.equal(scope.json().error, 'invalid_scope');
  });

  it('the authorization endpoint refuses, without redirecting, a request that names no client (sign-in: test/integration/sign-in.test.ts)', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/connect/authorize?response_type=code' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers.location, undefined);
    assert.equal(res.json().error, 'invalid_request');
  });
});
