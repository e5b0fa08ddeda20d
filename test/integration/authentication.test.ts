import assert from 'node:assert/strict';
import { generateKeyPairSync, createHmac } from 'node:crypto';
import { before, it } from 'node:test';
import { SignJWT, importJWK, type JWK } from 'jose';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { createBody, postCreate } from '../helpers/requests.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

onEveryStore('authentication and scopes', ({ h }) => {
  let body: unknown;
  before(async () => {
    await h.token('alice');
    const itwin = await h.itwin();
    body = createBody(await h.imodel(itwin), [await h.file(itwin)]);
  });

  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: PUBLIC_URL,
    aud: 'twinsync',
    sub: 'alice',
    // A client of the built-in issuer (the harness registers client-of-alice in before).
    client_id: 'client-of-alice',
    scope: 'itwin-platform',
    iat: now(),
    exp: now() + 600,
    ...extra,
  });

  async function expect401(token: string | null, code: string, headers: Record<string, string> = {}) {
    const res = await postCreate(h, body, { token, headers });
    assert.equal(res.statusCode, 401, res.body);
    assert.equal(res.json().error.code, code);
    assert.match(res.headers['www-authenticate'] as string, /^Bearer realm="twinsync"/);
    return res;
  }

  it('no Authorization header → HeaderNotFound, exactly as the API words it', async () => {
    const res = await expect401(null, 'HeaderNotFound');
    assert.deepEqual(res.json(), {
      error: { code: 'HeaderNotFound', message: 'Header Authorization was not found in the request. Access denied.' },
    });
  });

  it('another scheme → InvalidAuthorizationScheme', async () => {
    await expect401(null, 'InvalidAuthorizationScheme', { authorization: 'Basic YWxpY2U6c2VjcmV0' });
  });

  it('a token that is not a JWT → InvalidToken', async () => {
    await expect401('not-a-token', 'InvalidToken');
    await expect401(null, 'InvalidToken', { authorization: 'Bearer ' });
  });

  it('an expired token → InvalidToken', async () => {
    await expect401(await h.signRaw(claims({ iat: now() - 7200, exp: now() - 3600 })), 'InvalidToken');
  });

  it('a token not valid yet (nbf beyond the clock skew) → InvalidToken', async () => {
    await expect401(await h.signRaw(claims({ nbf: now() + 600 })), 'InvalidToken');
  });

  it('a small clock skew is tolerated', async () => {
    const res = await postCreate(h, { iModelId: 'x' }, { token: await h.signRaw(claims({ nbf: now() + 5 })) });
    assert.equal(res.statusCode, 422);
  });

  it('a wrong issuer or audience → InvalidToken', async () => {
    await expect401(await h.signRaw(claims({ iss: 'https://ims.bentley.com' })), 'InvalidToken');
    await expect401(await h.signRaw(claims({ aud: 'someone-else' })), 'InvalidToken');
  });

  it('a token without exp or sub → InvalidToken', async () => {
    const { exp: _exp, ...noExp } = claims();
    await expect401(await h.signRaw(noExp), 'InvalidToken');
    const { sub: _sub, ...noSub } = claims();
    await expect401(await h.signRaw(noSub), 'InvalidToken');
  });

  it('a validly signed token whose sub is not a non-empty string → InvalidToken, never a 500', async () => {
    for (const sub of [{ id: 'alice' }, 42, '', ['alice'], true, null]) {
      const token = await h.signRaw(claims({ sub }));
      await expect401(token, 'InvalidToken');
      // The reads that would take the subject to the store refuse it as well.
      const list = await h.app.inject({
        method: 'GET',
        url: '/itwins',
        headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.bentley.itwin-platform.v1+json' },
      });
      assert.equal(list.statusCode, 401, `sub ${JSON.stringify(sub)}: ${list.body}`);
      assert.equal(list.json().error.code, 'InvalidToken');
    }
  });

  it('a validly signed token of a client the built-in issuer does not have (or of no client) → InvalidToken', async () => {
    await expect401(await h.signRaw(claims({ client_id: 'never-registered' })), 'InvalidToken');
    await expect401(await h.signRaw(claims({ client_id: undefined })), 'InvalidToken');
  });

  it('alg: none → InvalidToken', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`;
    await expect401(unsigned, 'InvalidToken');
  });

  it('HMAC signed with the public key as secret → InvalidToken', async () => {
    const jwk = h.issuer.jwks.keys[0]!;
    const header = b64({ alg: 'HS256', typ: 'JWT', kid: jwk.kid });
    const payload = b64(claims());
    for (const secret of [JSON.stringify(jwk), jwk.x!]) {
      const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
      await expect401(`${header}.${payload}.${signature}`, 'InvalidToken');
    }
  });

  it('a token signed by another key (even with our kid) → InvalidToken', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key = await importJWK(privateKey.export({ format: 'jwk' }) as JWK, 'ES256');
    const kid = h.issuer.jwks.keys[0]!.kid!;
    for (const header of [
      { alg: 'ES256', kid },
      { alg: 'ES256', kid: 'other' },
    ]) {
      await expect401(await new SignJWT(claims()).setProtectedHeader(header).sign(key), 'InvalidToken');
    }
  });

  it('an RS256 token of an unknown key → InvalidToken', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = await importJWK(privateKey.export({ format: 'jwk' }) as JWK, 'RS256');
    await expect401(await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256' }).sign(key), 'InvalidToken');
  });

  it('a tampered payload → InvalidToken', async () => {
    const [header, , signature] = (await h.token()).split('.');
    await expect401(`${header}.${b64(claims({ sub: 'mallory' }))}.${signature}`, 'InvalidToken');
  });

  it('missing scope → RequiredScopeMissing; read scope is not enough to create', async () => {
    await expect401(await h.token('alice', ['openid']), 'RequiredScopeMissing');
    const res = await expect401(await h.token('alice', ['synchronization:read']), 'RequiredScopeMissing');
    assert.match(res.headers['www-authenticate'] as string, /error="insufficient_scope"/);
  });

  it('synchronization:modify or itwin-platform grants create; scopes also come from scp', async () => {
    assert.equal((await postCreate(h, {}, { token: await h.token('alice', ['synchronization:modify']) })).statusCode, 422);
    assert.equal((await postCreate(h, {}, { token: await h.token('alice', ['openid', 'itwin-platform']) })).statusCode, 422);
    const scp = await h.signRaw(claims({ scope: undefined, scp: ['synchronization:modify'] }));
    assert.equal((await postCreate(h, {}, { token: scp })).statusCode, 422);
  });

  it('401 comes before body parsing: an unauthenticated malformed body is still a 401', async () => {
    await expect401(null, 'HeaderNotFound', {});
    const res = await h.app.inject({
      method: 'POST',
      url: '/synchronization/imodels/storageconnections',
      headers: { 'content-type': 'application/json' },
      payload: '{bad',
    });
    assert.equal(res.statusCode, 401);
  });
});
