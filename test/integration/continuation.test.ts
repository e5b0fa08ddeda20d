import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { call, SC } from '../helpers/api.js';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { completedFile, newITwin } from '../helpers/platform.js';
import { createBody, postCreate } from '../helpers/requests.js';

/**
 * `_links.next` continues a list by keyset (`$continuationToken`): following it visits every item
 * that stays in the list exactly once and in order, whatever is created or deleted meanwhile, while
 * `$skip` keeps meaning an offset. A token the list did not give is a 422 like any bad query value.
 */
onEveryStore('continuation tokens', ({ h, client }) => {
  const alice = client('alice');

  describe('an iModel’s connections', () => {
    let iModelId: string;
    let itwin: Awaited<ReturnType<typeof h.itwin>>;
    let ids: string[];
    const newConnection = async (name: string) => {
      const res = await postCreate(h, createBody(iModelId, [await h.file(itwin, `${name}.dgn`)], { displayName: name }));
      assert.equal(res.statusCode, 201, res.body);
      return res.json().connection.id as string;
    };
    before(async () => {
      itwin = await h.itwin();
      iModelId = await h.imodel(itwin);
      ids = [];
      for (let i = 0; i < 7; i++) ids.push(await newConnection(`c${i}`));
    });

    /** Every id from the first page of `$top` to the end by next links; `between` runs after each page. */
    const walk = async (top: number, between: (page: number) => Promise<void> = async () => {}) => {
      const seen: string[] = [];
      let url: string | undefined = `${SC}?imodelId=${iModelId}&$top=${top}`;
      for (let page = 0; url; page++) {
        const res = await call(h, 'GET', url);
        assert.equal(res.statusCode, 200, res.body);
        seen.push(...res.json().connections.map((c: { id: string }) => c.id));
        await between(page);
        url = res.json()._links.next?.href.slice(PUBLIC_URL.length);
      }
      return seen;
    };

    it('visits every connection once, in order', async () => {
      for (const top of [1, 2, 3, 7]) assert.deepEqual(await walk(top), ids);
    });

    it('is stable under creates and deletes between pages', async () => {
      const added: string[] = [];
      const deleted: string[] = [];
      const seen = await walk(2, async (page) => {
        if (page === 0) {
          // A connection already seen goes: an offset would now skip one not seen yet.
          deleted.push(ids[0]!);
          assert.equal((await call(h, 'DELETE', `${SC}/${ids[0]}`)).statusCode, 204);
          added.push(await newConnection('late'));
        }
      });
      assert.deepEqual(seen, [...ids, ...added]);
      assert.equal(new Set(seen).size, seen.length);
      ids.splice(0, 1);
      ids.push(...added);
    });

    it('$skip keeps meaning an offset, alone or counted from a token', async () => {
      const offset = await call(h, 'GET', `${SC}?imodelId=${iModelId}&$skip=2&$top=2`);
      assert.deepEqual(
        offset.json().connections.map((c: { id: string }) => c.id),
        ids.slice(2, 4),
      );
      assert.equal(offset.json()._links.prev.href, `${PUBLIC_URL}${SC}?iModelId=${iModelId}&$skip=0&$top=2`);
      const first = await call(h, 'GET', `${SC}?imodelId=${iModelId}&$top=2`);
      const next = new URL(first.json()._links.next.href);
      const token = next.searchParams.get('$continuationToken')!;
      const skipped = await call(h, 'GET', `${SC}?imodelId=${iModelId}&$continuationToken=${token}&$skip=1&$top=2`);
      assert.deepEqual(
        skipped.json().connections.map((c: { id: string }) => c.id),
        ids.slice(3, 5),
      );
      // self repeats the request; prev counts back from the position the token holds.
      assert.equal(skipped.json()._links.self.href, `${PUBLIC_URL}${SC}?iModelId=${iModelId}&$continuationToken=${token}&$skip=1&$top=2`);
      assert.equal(skipped.json()._links.prev.href, `${PUBLIC_URL}${SC}?iModelId=${iModelId}&$skip=1&$top=2`);
    });

    it('refuses a token this list did not give with a 422 in the error shape', async () => {
      const runsToken = Buffer.from(JSON.stringify(['runs', 2, '2026-01-01T00:00:00.000Z', 'x'])).toString('base64url');
      const wrongTypes = Buffer.from(JSON.stringify(['connections', 2, 5, 'x'])).toString('base64url');
      const negative = Buffer.from(JSON.stringify(['connections', -1, 'a', 'x'])).toString('base64url');
      const shortKey = Buffer.from(JSON.stringify(['connections', 2, 'a'])).toString('base64url');
      const notJson = Buffer.from('connections:2').toString('base64url');
      for (const token of ['!!!', notJson, runsToken, wrongTypes, negative, shortKey, 'A'.repeat(2000)]) {
        const res = await call(h, 'GET', `${SC}?imodelId=${iModelId}&$continuationToken=${token}`);
        assert.equal(res.statusCode, 422, `${token}: ${res.body}`);
        assert.equal(res.json().error.code, 'InvalidStorageConnectionRequest');
        assert.deepEqual(res.json().error.details, [
          { code: 'InvalidValue', message: '$continuationToken is not one this list gave.', target: '$continuationToken' },
        ]);
      }
    });
  });

  it('a folder’s listing continues from its folders into its files', async () => {
    const itwin = await newITwin(alice);
    const expected: string[] = [];
    for (const name of ['f1', 'f2', 'f3']) {
      const res = await alice.post(`/storage/folders/${itwin.rootFolderId}/folders`, { displayName: name });
      expected.push(res.json().folder.id);
    }
    for (const name of ['x1.ifc', 'x2.ifc']) expected.push(await completedFile(h, alice, itwin.rootFolderId, name));
    for (const top of [1, 2, 4]) {
      const seen: string[] = [];
      let url: string | undefined = `/storage/?iTwinId=${itwin.id}&$top=${top}`;
      while (url) {
        const res = await alice.get(url);
        assert.equal(res.status, 200, res.body);
        seen.push(...res.json().items.map((i: { id: string }) => i.id));
        url = res.json()._links.next?.href.slice(PUBLIC_URL.length);
      }
      assert.deepEqual(seen, expected);
    }
    const files = await alice.get(`/storage/folders/${itwin.rootFolderId}/files?$top=1`);
    const second = await alice.get(files.json()._links.next.href.slice(PUBLIC_URL.length));
    assert.deepEqual(
      second.json().files.map((i: { id: string }) => i.id),
      [expected[4]],
    );
    const bad = await alice.get(`/storage/?iTwinId=${itwin.id}&$continuationToken=nope`);
    assert.equal(bad.status, 422);
    assert.equal(bad.json().error.code, 'InvalidStorageRequest');
  });
});
