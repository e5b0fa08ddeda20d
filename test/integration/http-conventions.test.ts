import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { onEveryStore } from '../helpers/on-every-store.js';
import { CREATE_URL, createBody, postCreate } from '../helpers/requests.js';

onEveryStore('HTTP conventions', ({ h, harness }) => {
  const limited = harness({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' });

  describe('Accept', () => {
    for (const accept of [undefined, '*/*', 'application/json', 'application/vnd.bentley.itwin-platform.v1+json', 'text/html, application/*;q=0.5']) {
      it(`serves ${accept ?? 'no Accept header'}`, async () => {
        const res = await postCreate(h, {}, { headers: accept ? { accept } : {} });
        assert.equal(res.statusCode, 422);
      });
    }
    for (const accept of ['application/vnd.bentley.itwin-platform.v2+json', 'text/xml', 'application/json;q=0']) {
      it(`refuses ${accept} with 406 naming the supported version`, async () => {
        const res = await postCreate(h, {}, { headers: { accept } });
        assert.equal(res.statusCode, 406);
        assert.equal(res.json().error.code, 'NotAcceptable');
        assert.match(res.json().error.message, /application\/vnd\.bentley\.itwin-platform\.v1\+json/);
      });
    }
  });

  it('a body over the limit → 413 in the error shape, nothing written', async () => {
    const res = await postCreate(h, { displayName: 'x'.repeat(h.config.bodyLimit + 10) });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error.code, 'PayloadTooLarge');
  });

  it('a body that is not JSON → 415 in the error shape', async () => {
    const res = await postCreate(h, 'iModelId=1', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.ok([415, 422].includes(res.statusCode), `${res.statusCode}`);
    const xml = await postCreate(h, '<a/>', { headers: { 'content-type': 'application/xml' } });
    assert.equal(xml.statusCode, 415);
    assert.equal(xml.json().error.code, 'UnsupportedMediaType');
  });

  it('JSON with a charset or a +json media type is read', async () => {
    const res = await postCreate(h, '{', { headers: { 'content-type': 'application/vnd.bentley.itwin-platform.v1+json; charset=utf-8' } });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().error.details[0].code, 'InvalidRequestBody');
  });

  it('an unknown route → 404 in the error shape', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/synchronization/nothing-here' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'NotFound');
  });

  it('paths match in any case, with a trailing slash, and ignore unknown query parameters', async () => {
    const token = await h.token();
    for (const url of ['/synchronization/imodels/storageConnections', `${CREATE_URL}/`, `${CREATE_URL}?imodelId=x&foo=bar`]) {
      const res = await h.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{}' });
      assert.equal(res.statusCode, 422, url);
    }
  });

  describe('rate limit', () => {
    it('429 TooManyRequests with retry-after once a client exceeds its limit; other clients unaffected', async () => {
      const alice = await limited.token('alice');
      const statuses = [];
      let last;
      for (let i = 0; i < 4; i++) {
        last = await postCreate(limited, {}, { token: alice });
        statuses.push(last.statusCode);
      }
      assert.deepEqual(statuses, [422, 422, 422, 429]);
      assert.deepEqual(last!.json(), {
        error: { code: 'TooManyRequests', message: 'More requests were received than the subscription rate-limit allows.' },
      });
      const retryAfter = Number(last!.headers['retry-after']);
      assert.ok(retryAfter > 0 && retryAfter <= 60, `retry-after ${last!.headers['retry-after']}`);
      // another OAuth client has its own budget
      assert.equal((await postCreate(limited, {}, { token: await limited.token('bob') })).statusCode, 422);
    });

    it('keys on the OAuth client, not on the token: a new token of the same client shares the budget', async () => {
      const fresh = await limited.issuer.issue({ subject: 'carol', clientId: 'client-of-alice', scopes: ['itwin-platform'] });
      assert.equal((await postCreate(limited, {}, { token: fresh.token })).statusCode, 429);
    });

    it('unauthenticated requests are limited per IP', async () => {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await postCreate(limited, {}, { token: null, headers: {} })).statusCode);
      assert.deepEqual(statuses, [401, 401, 401, 429]);
    });
  });

  it('a created connection is durable: visible to a fresh read right after the 201', async () => {
    const itwin = await h.itwin();
    const res = await postCreate(h, createBody(await h.imodel(itwin), [await h.file(itwin)]));
    assert.equal(res.statusCode, 201);
    const row = await h.store.db.selectFrom('storage_connections').selectAll().where('id', '=', res.json().connection.id).executeTakeFirst();
    assert.ok(row);
  });
});
