import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, it } from 'node:test';
import { SignJWT, importJWK, type JWK } from 'jose';
import { onEveryStore } from '../helpers/on-every-store.js';
import { postCreate } from '../helpers/requests.js';

interface Key {
  jwk: JWK;
  sign(claims: Record<string, unknown>): Promise<string>;
}

async function rsaKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signer = await importJWK(privateKey.export({ format: 'jwk' }) as JWK, 'RS256');
  return {
    jwk: { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, alg: 'RS256', use: 'sig' },
    sign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(signer),
  };
}

const ISSUER = 'https://ims.example.test';

// A real HTTP JWKS endpoint, as an OpenID provider would serve it: each suite starts its own, before its harness.
let jwksServer: http.Server | undefined;
let published: JWK[] = [];
let fetches = 0;

async function startJwksServer(): Promise<Record<string, string>> {
  published = [];
  fetches = 0;
  const server = http.createServer((_req, res) => {
    fetches++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: published }));
  });
  jwksServer = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    AUTH_ISSUER: ISSUER,
    AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks`,
    AUTH_AUDIENCE: 'itwin-platform',
    AUTH_JWKS_COOLDOWN_SECONDS: '0',
  };
}

onEveryStore('external OpenID issuer', { env: startJwksServer }, ({ h }) => {
  after(() => jwksServer?.close());

  const claims = () => ({
    iss: ISSUER,
    aud: 'itwin-platform',
    sub: 'ext-user',
    azp: 'spa-client',
    scope: 'itwin-platform',
    exp: Math.floor(Date.now() / 1000) + 300,
  });

  it('accepts its tokens, refuses the built-in issuer and fetches the JWKS again for an unknown kid', async () => {
    const first = await rsaKey('k1');
    published = [first.jwk];
    assert.equal((await postCreate(h, {}, { token: await first.sign(claims()) })).statusCode, 422);
    assert.equal(fetches, 1);
    // cached: a second token of the same key needs no fetch
    assert.equal((await postCreate(h, {}, { token: await first.sign({ ...claims(), jti: 'x' }) })).statusCode, 422);
    assert.equal(fetches, 1);

    const rotated = await rsaKey('k2');
    published = [first.jwk, rotated.jwk];
    assert.equal((await postCreate(h, {}, { token: await rotated.sign(claims()) })).statusCode, 422);
    assert.equal(fetches, 2);

    // built-in issuer is off: its own tokens are not accepted
    const own = await h.issuer.issue({ subject: 'x', clientId: 'y', scopes: ['itwin-platform'] });
    assert.equal((await postCreate(h, {}, { token: own.token })).statusCode, 401);
    // a wrong audience is refused
    assert.equal((await postCreate(h, {}, { token: await first.sign({ ...claims(), aud: 'other' }) })).statusCode, 401);
  });

  it('does not serve the built-in issuer endpoints', async () => {
    assert.equal((await h.app.inject({ method: 'GET', url: '/.well-known/openid-configuration' })).statusCode, 404);
  });
});
