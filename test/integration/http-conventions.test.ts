import assert from 'node:assert/strict';
import net from 'node:net';
import { before, describe, it } from 'node:test';
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

    it('keys on the caller (OAuth client and user), not on the token: a new token of the same caller shares the budget', async () => {
      const fresh = await limited.issuer.issue({ subject: 'alice', clientId: 'client-of-alice', scopes: ['itwin-platform'] });
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

/** Writes `text` on a new connection to `port` and reads until the server closes it. */
function rawExchange(port: number, text: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return reject(new Error(`no answer: ${JSON.stringify(data)}`));
      resolve({ status: Number(data.split(' ')[1]), headers: data.slice(0, end).toLowerCase(), body: data.slice(end + 4) });
    });
    setTimeout(() => socket.destroy(), 10_000).unref();
  });
}

onEveryStore('answers the framework gives itself', ({ h }) => {
  let port = 0;
  let token = '';
  before(async () => {
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    port = (h.app.server.address() as net.AddressInfo).port;
    token = await h.token();
  });
  const MARK = 'echo-marker-7q';

  /** The answer is the error shape with `code`, repeats nothing of the request, and closes when asked. */
  function assertShape(answer: { status: number; headers: string; body: string }, status: number, code: string) {
    assert.equal(answer.status, status, answer.body);
    assert.match(answer.headers, /content-type: application\/json/);
    const body = JSON.parse(answer.body);
    assert.equal(body.error.code, code);
    assert.equal(typeof body.error.message, 'string');
    assert.ok(!answer.body.includes(MARK), `echoes the request: ${answer.body}`);
  }

  const cases: [string, () => string, number, string][] = [
    [
      'a malformed percent-encoding in the path',
      () => `GET /itwins/%ZZ${MARK} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
      400,
      'InvalidUrl',
    ],
    [
      'a path segment over 100 characters',
      () => `GET /itwins/${MARK}${'a'.repeat(200)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
      414,
      'UriTooLong',
    ],
    [
      'headers over the parser’s limit',
      () => `GET /itwins HTTP/1.1\r\nHost: x\r\nX-Big: ${MARK}${'h'.repeat(20_000)}\r\n\r\n`,
      431,
      'RequestHeaderFieldsTooLarge',
    ],
    ['a URL over the parser’s limit', () => `GET /itwins?${MARK}=${'q'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, 'RequestHeaderFieldsTooLarge'],
    ['not HTTP at all', () => `HELLO ${MARK}\r\n\r\n`, 400, 'BadRequest'],
    ['a bad Content-Length', () => `POST /itwins HTTP/1.1\r\nHost: x\r\nContent-Length: ${MARK}\r\n\r\n`, 400, 'BadRequest'],
    [
      'Content-Length and chunked together',
      () => `POST /itwins HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      400,
      'BadRequest',
    ],
    [
      'a method no route has on a known path',
      () => `PATCH /itwins HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
      405,
      'MethodNotAllowed',
    ],
    ['an unknown route', () => `GET /${MARK} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 404, 'NotFound'],
    [
      'a preflight without Origin',
      () => `OPTIONS /itwins HTTP/1.1\r\nHost: x\r\nAccess-Control-Request-Method: POST\r\nConnection: close\r\n\r\n`,
      400,
      'InvalidPreflightRequest',
    ],
    [
      'an OPTIONS without Access-Control-Request-Method',
      () => `OPTIONS /itwins HTTP/1.1\r\nHost: x\r\nOrigin: http://${MARK}\r\nConnection: close\r\n\r\n`,
      400,
      'InvalidPreflightRequest',
    ],
  ];
  for (const [label, request, status, code] of cases) {
    it(`${label} → ${status} ${code} in the error shape, without echoing the request`, async () => {
      assertShape(await rawExchange(port, request()), status, code);
    });
  }

  it('a parser error closes the connection with Connection: close', async () => {
    const answer = await rawExchange(port, `HELLO\r\n\r\n`);
    assert.match(answer.headers, /connection: close/);
  });

  it('405 names the methods the path has in Allow', async () => {
    const res = await h.app.inject({ method: 'PUT', url: '/itwins/00000000-0000-4000-8000-000000000000', headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 405);
    assert.equal(res.headers.allow, 'DELETE, GET, HEAD, PATCH');
    assert.equal(res.json().error.code, 'MethodNotAllowed');
  });

  it('a real preflight is still answered (204 with CORS headers)', async () => {
    const res = await h.app.inject({ method: 'OPTIONS', url: '/itwins', headers: { origin: 'http://app.example', 'access-control-request-method': 'POST' } });
    assert.equal(res.statusCode, 204);
    assert.equal(res.headers['access-control-allow-origin'], '*');
  });

  describe('bodies that are not JSON', () => {
    const create = JSON.stringify({ displayName: 'x', class: 'Thing', subClass: 'Asset' });
    it('a body without Content-Type → 415 (over a socket, as curl sends it with -H "Content-Type:")', async () => {
      const answer = await rawExchange(
        port,
        `POST /itwins HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Length: ${create.length}\r\nConnection: close\r\n\r\n${create}`,
      );
      assertShape(answer, 415, 'UnsupportedMediaType');
      const chunked = await rawExchange(
        port,
        `POST /itwins HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${create.length.toString(16)}\r\n${create}\r\n0\r\n\r\n`,
      );
      assertShape(chunked, 415, 'UnsupportedMediaType');
    });

    it('JSON sent as a form (curl -d without a Content-Type) → 415, not "displayName is missing"', async () => {
      for (const url of ['/itwins', '/imodels', '/synchronization/imodels/storageconnections']) {
        const res = await h.app.inject({
          method: 'POST',
          url,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
          payload: create,
        });
        assert.equal(res.statusCode, 415, `${url}: ${res.body}`);
        assert.equal(res.json().error.code, 'UnsupportedMediaType');
      }
    });

    it('without credentials it is a 401 first', async () => {
      const res = await h.app.inject({ method: 'POST', url: '/itwins', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: create });
      assert.equal(res.statusCode, 401);
    });

    it('body-less POSTs (complete, run) still work with no Content-Type, or a form type and no body', async () => {
      const itwin = await h.itwin();
      const fileId = await h.file(itwin);
      const complete = await rawExchange(
        port,
        `POST /storage/files/${fileId}/complete HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      assert.equal(complete.status, 200, complete.body);
      const empty = await h.app.inject({
        method: 'POST',
        url: `/storage/files/${fileId}/complete`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(empty.statusCode, 200, empty.body);
    });
  });
});
