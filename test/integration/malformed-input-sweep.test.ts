import assert from 'node:assert/strict';
import { it } from 'node:test';
import { operations } from '../../src/http/operations.js';
import { connectionFixture, SC } from '../helpers/api.js';
import { onEveryStore } from '../helpers/on-every-store.js';

/**
 * Every operation, with real ids and with junk in their place, gets a battery of malformed input:
 * broken or wrong-typed bodies, unexpected media types, junk queries and headers. None may answer
 * 5xx, and every error must come in the API's error shape.
 */
const BODIES: { label: string; payload: string; type?: string }[] = [
  { label: 'broken JSON', payload: '{"displayName":' },
  { label: 'JSON array', payload: '[1,2,3]' },
  { label: 'JSON null', payload: 'null' },
  { label: 'JSON string', payload: '"x"' },
  {
    label: 'wrong types',
    payload: JSON.stringify({
      iModelId: 1,
      sourceFiles: 'x',
      displayName: [],
      storageFileId: {},
      connectorType: 7,
      members: 'x',
      iTwinId: false,
      name: {},
      class: 1,
      subClass: [],
      extent: 'x',
      description: 1,
    }),
  },
  { label: 'deep nesting', payload: '['.repeat(5000) + ']'.repeat(5000) },
  { label: 'NUL and lone surrogates', payload: '{"displayName":"\\u0000\\ud800","name":"\\udfff"}' },
  // Bodies valid but for a NUL in a string, so that they reach the store: PostgreSQL cannot hold NUL.
  {
    label: 'NUL in an otherwise valid body',
    payload: JSON.stringify({
      displayName: 'a\u0000b',
      description: 'd\u0000',
      name: 'n\u0000',
      class: 'Thing',
      subClass: 'Asset',
      connectorType: 'IFC',
      authenticationType: 'User',
      members: [{ email: 'bob\u0000', roleIds: [] }],
    }),
  },
  { label: 'NUL in a property name', payload: '{"display\\u0000Name":"x"}' },
  { label: 'plain text', payload: 'hello', type: 'text/plain' },
  { label: 'odd JSON media type', payload: '{}', type: 'application/json; charset=latin-9000' },
  { label: 'form', payload: 'a=1&b=2', type: 'application/x-www-form-urlencoded' },
];
const QUERIES = ['?$top=abc&$skip=-1', '?$top=1e309', '?%ZZ=1&iModelId=%E0%A4%A', '?iModelId=x&iModelId=y&$top=1&$top=2', `?${'a'.repeat(2000)}=1`];
const HEADERS: Record<string, string>[] = [
  { accept: 'application/vnd.bentley.itwin-platform.v99+json' },
  { accept: ',,;q=x' },
  { prefer: 'return=representation;;;,' },
  { 'content-type': '' },
];
const JUNK_IDS = ['x', '..%2F..%2Fetc', 'A'.repeat(43), '00000000-0000-0000-0000-000000000000', '%00', 'é'.repeat(50)];

onEveryStore('malformed input on every operation', ({ h, client }) => {
  const alice = client('alice');

  it('never answers 5xx, and answers errors in the error shape', async () => {
    const { connection, itwin, iModelId, fileIds } = await connectionFixture(h);
    const sourceFileId = (await alice.get(`${SC}/${connection.id}/sourcefiles`)).json().sourceFiles[0].id;
    const real: Record<string, string> = {
      connectionId: connection.id,
      sourceFileId,
      runId: '00000000-0000-4000-8000-000000000000',
      iTwinId: itwin.id,
      memberId: 'alice',
      iModelId,
      folderId: itwin.rootFolderId,
      fileId: fileIds[2]!,
    };
    const failures: string[] = [];
    // One token for the thousands of requests: issuing one reads the client from the store and signs.
    const token = await h.token();
    const check = async (method: string, url: string, body: string | undefined, headers: Record<string, string>, label: string) => {
      const res = await h.app.inject({ method: method as 'GET', url, payload: body, headers: { authorization: `Bearer ${token}`, ...headers } });
      if (res.statusCode >= 500) failures.push(`${res.statusCode} ${method} ${url} [${label}]: ${res.body.slice(0, 200)}`);
      else if (res.statusCode >= 400 && res.headers['content-type']?.toString().includes('json')) {
        const error = res.json().error;
        if (!error || typeof error.code !== 'string' || typeof error.message !== 'string') {
          // The token endpoint answers in OAuth's own error shape.
          if (!url.startsWith('/connect/')) failures.push(`${res.statusCode} ${method} ${url} [${label}]: not the error shape: ${res.body.slice(0, 200)}`);
        }
      }
    };
    for (const operation of Object.values(operations)) {
      // Deletes get junk ids only: deleting the fixture would leave later operations nothing real.
      // Event streams too: with real ids a stream opens and stays open by design (its own errors are
      // tested in event-streams.test.ts).
      const realIds = operation.method !== 'DELETE' && !operation.url.endsWith('/events');
      const paths = realIds ? [operation.url.replace(/:(\w+)/g, (_, name: string) => real[name] ?? 'x')] : [];
      for (const junk of JUNK_IDS) paths.push(operation.url.replace(/:(\w+)/g, () => junk));
      for (const path of paths) {
        for (const body of BODIES) {
          if (operation.method === 'GET') continue;
          await check(operation.method, path, body.payload, { 'content-type': body.type ?? 'application/json' }, body.label);
        }
        for (const query of QUERIES) await check(operation.method, path + query, undefined, {}, `query ${query.slice(0, 30)}`);
        for (const headers of HEADERS) await check(operation.method, path, undefined, headers, JSON.stringify(headers));
      }
    }
    assert.deepEqual(failures, []);
  });
});

onEveryStore('U+0000 in paths and queries', ({ h, client }) => {
  const alice = client('alice');

  it('is the operation’s 422 with a detail naming the parameter, on every store (was a 500 on PostgreSQL)', async () => {
    const { connection, itwin, iModelId } = await connectionFixture(h);
    const cases: [string, string, string][] = [
      [`/accesscontrol/itwins/${itwin.id}/members/a%00b`, 'InvalidiTwinsMemberRequest', 'memberId'],
      [`/imodels?iTwinId=${itwin.id}&name=a%00b`, 'InvalidiModelsRequest', 'name'],
      [`/imodels/${iModelId}%00`, 'InvalidiModelsRequest', 'iModelId'],
      [`/itwins?subClass=%00`, 'InvalidiTwinsRequest', 'subClass'],
      [`/storage/folders/${itwin.rootFolderId}%00/list`, 'InvalidStorageRequest', 'folderId'],
      [`${SC}?imodelId=${iModelId}&$top=%00`, 'InvalidStorageConnectionRequest', '$top'],
      [`${SC}/${connection.id}/sourcefiles/%00`, 'InvalidStorageConnectionSourceFileRequest', 'sourceFileId'],
      [`/synchronization/imodels/connections?imodelId=%00`, 'InvalidConnectionRequest', 'imodelId'],
      [`/storage/files/x/content?version=1&expires=1&signature=%00`, 'InvalidRequest', 'signature'],
      // An unknown parameter is ignored, but not with U+0000 in it: no value may hold it.
      [`/itwins?whatever=x%00`, 'InvalidiTwinsRequest', 'whatever'],
    ];
    for (const [url, code, target] of cases) {
      const res = url.includes('/content?')
        ? await h.app.inject({ method: 'PUT', url, payload: 'x' }).then((r) => ({ status: r.statusCode, body: r.body }))
        : await alice.get(url);
      assert.equal(res.status, 422, `${url}: ${res.body}`);
      const error = JSON.parse(res.body).error;
      assert.equal(error.code, code, url);
      assert.deepEqual(
        error.details,
        [{ code: 'InvalidValue', message: 'The value holds the character U+0000 (%00), which no value may contain.', target }],
        url,
      );
    }
  });

  it('without credentials it is a 401 first', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/itwins?subClass=%00' });
    assert.equal(res.statusCode, 401);
  });
});
