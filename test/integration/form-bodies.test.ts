import assert from 'node:assert/strict';
import { it } from 'node:test';
import { onEveryStore } from '../helpers/on-every-store.js';

const FORM = 'application/x-www-form-urlencoded';

// Forms are read only by the token endpoint and the consent form (src/http/plugins/form-body.ts).
onEveryStore('form bodies', ({ h }) => {
  const create = JSON.stringify({ displayName: 'x', class: 'Thing', subClass: 'Asset' });

  it('a form body to a JSON operation is 415 in the error shape, refused before it is read', async () => {
    const token = await h.token();
    for (const [method, url] of [
      ['POST', '/itwins'],
      ['POST', '/imodels'],
      ['POST', '/synchronization/imodels/storageconnections'],
    ] as const) {
      const res = await h.app.inject({ method, url, headers: { authorization: `Bearer ${token}`, 'content-type': FORM }, payload: create });
      assert.equal(res.statusCode, 415, `${url}: ${res.body}`);
      assert.deepEqual(Object.keys(res.json()), ['error']);
      assert.equal(res.json().error.code, 'UnsupportedMediaType');
      assert.equal(typeof res.json().error.message, 'string');
    }
    // Unread: a form over the body limit is still a 415, not the 413 that reading it would give.
    const big = await h.app.inject({
      method: 'POST',
      url: '/itwins',
      headers: { authorization: `Bearer ${token}`, 'content-type': FORM },
      payload: `a=${'x'.repeat(h.config.bodyLimit + 10)}`,
    });
    assert.equal(big.statusCode, 415, big.body);
    assert.equal(big.json().error.code, 'UnsupportedMediaType');
  });

  it('the token endpoint still reads its form', async () => {
    const client = h.issuer.clients[0]!;
    const res = await h.app.inject({
      method: 'POST',
      url: '/connect/token',
      headers: { 'content-type': FORM },
      payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret! }).toString(),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().token_type, 'Bearer');
  });

  it('a form Content-Type with no body is no body: a body-less POST is served', async () => {
    const token = await h.token();
    const fileId = await h.file(await h.itwin());
    const res = await h.app.inject({
      method: 'POST',
      url: `/storage/files/${fileId}/complete`,
      headers: { authorization: `Bearer ${token}`, 'content-type': FORM },
    });
    assert.equal(res.statusCode, 200, res.body);
  });
});
