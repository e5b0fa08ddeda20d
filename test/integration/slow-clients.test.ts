import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, it } from 'node:test';
import { PUBLIC_URL, type Harness } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { clientFor, createFile, newITwin } from '../helpers/platform.js';
import { head, RawSocket } from '../helpers/raw-socket.js';

const HEADERS_MS = 1000;
const BODY_IDLE_MS = 500;
const REQUEST_MS = 2500;
const UPLOAD_IDLE_MS = 800;
/** What a loaded two-core machine may add to a time limit before the server acts on it. */
const SLACK_MS = 2000;

/**
 * Slow and stalled clients against a real listening server, with short limits (the defaults are
 * tens of seconds): raw sockets, since a client that stops halfway cannot be written with fetch.
 */
onEveryStore(
  'slow clients',
  {
    env: {
      HEADERS_TIMEOUT_MS: String(HEADERS_MS),
      BODY_IDLE_TIMEOUT_MS: String(BODY_IDLE_MS),
      REQUEST_TIMEOUT_MS: String(REQUEST_MS),
      UPLOAD_IDLE_TIMEOUT_MS: String(UPLOAD_IDLE_MS),
    },
  },
  ({ h, client, harness }) => {
    const alice = client('alice');
    // Uploads per caller, with an idle limit long enough for the uploads that wait to stay open.
    const few = harness({ UPLOADS_PER_CALLER: '2', UPLOAD_IDLE_TIMEOUT_MS: '20000' });
    const brief = harness({ KEEP_ALIVE_TIMEOUT_MS: '500' });
    let origin: string;
    let fewOrigin: string;
    let briefOrigin: string;
    before(async () => {
      origin = await h.app.listen({ port: 0, host: '127.0.0.1' });
      fewOrigin = await few.app.listen({ port: 0, host: '127.0.0.1' });
      briefOrigin = await brief.app.listen({ port: 0, host: '127.0.0.1' });
    });

    const partials = (harnessOf: Harness = h) => {
      const dir = path.join(harnessOf.config.dataDir, 'uploads');
      return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.partial')) : [];
    };
    const uploadRow = (harnessOf: Harness, fileId: string) =>
      harnessOf.store.db.selectFrom('storage_uploads').selectAll().where('file_id', '=', fileId).executeTakeFirstOrThrow();
    const local = (href: string, at = origin) => href.replace(PUBLIC_URL, at);
    const errorOf = (socket: RawSocket) => JSON.parse(socket.response().body) as { error: { code: string; message: string } };

    /** Starts an upload of `declared` bytes and sends only `sent` of them. */
    async function stalledUpload(uploadUrl: string, at: string, declared: number, sent: number): Promise<RawSocket> {
      const socket = new RawSocket(at);
      await socket.connected;
      socket.write(head('PUT', local(uploadUrl, at), { 'x-ms-blob-type': 'BlockBlob', 'content-length': declared }));
      socket.write(Buffer.alloc(sent, 'x'));
      return socket;
    }

    async function until(what: string, test: () => boolean | Promise<boolean>, ms: number): Promise<void> {
      const deadline = Date.now() + ms;
      while (!(await test())) {
        if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    it('cuts a stalled upload after its idle limit with 408, removes its .partial file and changes nothing in the store', async () => {
      const itwin = await newITwin(alice);
      const file = await createFile(alice, itwin.rootFolderId);
      const before = await uploadRow(h, file.id);
      const socket = await stalledUpload(file.links.uploadUrl, origin, 1024 * 1024, 64 * 1024);
      const started = Date.now();
      await until('the upload is being written to a .partial file', () => partials().length > 0, SLACK_MS);

      const closedAt = await socket.closedWithin(UPLOAD_IDLE_MS + SLACK_MS);
      assert.ok(closedAt - started >= UPLOAD_IDLE_MS - 100, `cut after ${closedAt - started} ms, before its idle limit`);
      const { status, headers } = socket.response();
      assert.equal(status, 408);
      assert.equal(headers.connection, 'close');
      assert.equal(errorOf(socket).error.code, 'RequestTimeout');
      assert.match(errorOf(socket).error.message, /UPLOAD_IDLE_TIMEOUT_MS/);
      await until('the .partial file is removed', () => partials().length === 0, SLACK_MS);
      assert.deepEqual(await uploadRow(h, file.id), before, 'the upload is as it was');
    });

    it('has no total limit on an upload: one that keeps sending for longer than REQUEST_TIMEOUT_MS is stored', async () => {
      const itwin = await newITwin(alice);
      const file = await createFile(alice, itwin.rootFolderId);
      const chunks = 12;
      const socket = await stalledUpload(file.links.uploadUrl, origin, chunks * 100, 0);
      const started = Date.now();
      for (let i = 0; i < chunks; i++) {
        socket.write(Buffer.alloc(100, 'y'));
        await new Promise((resolve) => setTimeout(resolve, 250)); // well inside the 800 ms idle limit
      }
      await until('the upload is answered', () => socket.status() !== undefined, SLACK_MS);
      assert.ok(Date.now() - started > REQUEST_MS, 'the upload took longer than the whole-request limit of other requests');
      assert.equal(socket.status(), 201, socket.text());
      assert.equal((await uploadRow(h, file.id)).size, chunks * 100);
      socket.destroy();
    });

    it('cuts a JSON body that stops arriving after BODY_IDLE_TIMEOUT_MS with 408 and closes the connection', async () => {
      const socket = new RawSocket(origin);
      await socket.connected;
      socket.write(head('POST', '/itwins', { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json', 'content-length': 200 }));
      socket.write('{"displayName":"stal');
      const started = Date.now();
      const closedAt = await socket.closedWithin(BODY_IDLE_MS + SLACK_MS);
      assert.ok(closedAt - started >= BODY_IDLE_MS - 100, `cut after ${closedAt - started} ms`);
      assert.equal(socket.status(), 408, socket.text());
      assert.equal(socket.response().headers.connection, 'close');
      assert.equal(errorOf(socket).error.code, 'RequestTimeout');
      assert.match(errorOf(socket).error.message, /BODY_IDLE_TIMEOUT_MS/);
    });

    it('cuts a JSON body that trickles in (never idle) after REQUEST_TIMEOUT_MS', async () => {
      const socket = new RawSocket(origin);
      await socket.connected;
      socket.write(head('POST', '/itwins', { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json', 'content-length': 1000 }));
      const started = Date.now();
      const drip = setInterval(() => socket.write(' '), 150);
      try {
        const closedAt = await socket.closedWithin(REQUEST_MS + SLACK_MS);
        assert.ok(closedAt - started >= REQUEST_MS - 100, `cut after ${closedAt - started} ms`);
      } finally {
        clearInterval(drip);
      }
      assert.equal(socket.status(), 408, socket.text());
      assert.match(errorOf(socket).error.message, /REQUEST_TIMEOUT_MS/);
    });

    it('closes the connection after a 401 answered before the body was read', async () => {
      const socket = new RawSocket(origin);
      await socket.connected;
      socket.write(head('POST', '/itwins', { 'content-type': 'application/json', 'content-length': 100_000 }));
      socket.write('{"displayName":"');
      await socket.closedWithin(SLACK_MS); // far less than any time limit: at once
      assert.equal(socket.status(), 401, socket.text());
      assert.equal(socket.response().headers.connection, 'close');
      assert.equal(errorOf(socket).error.code, 'HeaderNotFound');
    });

    it('keeps the connection of a 401 whose body had all arrived (a keep-alive client is not punished)', async () => {
      const socket = new RawSocket(origin);
      await socket.connected;
      const body = '{"displayName":"x"}';
      socket.write(head('POST', '/itwins', { 'content-type': 'application/json', 'content-length': body.length }) + body);
      await until('the 401', () => socket.status() !== undefined, SLACK_MS);
      assert.equal(socket.status(), 401);
      assert.notEqual(socket.response().headers.connection, 'close');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(socket.closedAt, undefined);
      socket.destroy();
    });

    it('closes a connection whose headers do not arrive within HEADERS_TIMEOUT_MS', async () => {
      const partial = new RawSocket(origin);
      const silent = new RawSocket(origin);
      await Promise.all([partial.connected, silent.connected]);
      partial.write(`GET /itwins HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${alice.token.slice(0, 20)}`);
      const started = Date.now();
      for (const socket of [partial, silent]) {
        const closedAt = await socket.closedWithin(HEADERS_MS + SLACK_MS);
        assert.ok(closedAt - started >= HEADERS_MS - 300, `closed after ${closedAt - started} ms`);
        const status = socket.status();
        if (status !== undefined) assert.equal(status, 408);
      }
      // Headers begun and not finished: answered by the error catalogue's 408, naming the setting.
      assert.equal(partial.status(), 408, partial.text());
      assert.equal(errorOf(partial).error.code, 'RequestTimeout');
      assert.match(errorOf(partial).error.message, /HEADERS_TIMEOUT_MS/);
    });

    it('closes an idle keep-alive connection after KEEP_ALIVE_TIMEOUT_MS', async () => {
      const socket = new RawSocket(briefOrigin);
      await socket.connected;
      socket.write(head('GET', '/itwins', { authorization: `Bearer ${await brief.token('alice')}` }));
      await until('the answer', () => socket.status() !== undefined, SLACK_MS);
      const answered = Date.now();
      assert.equal(socket.status(), 200);
      const closedAt = await socket.closedWithin(500 + SLACK_MS);
      assert.ok(closedAt - answered >= 400, `closed after ${closedAt - answered} ms`);
    });

    it('bounds the uploads one user streams at once: one more is 429 with retry-after, another user is not held up', async () => {
      const [aliceOnFew, bobOnFew] = [await clientFor(few, 'alice'), await clientFor(few, 'bob')];
      const itwin = await newITwin(aliceOnFew);
      const files = [];
      for (let i = 0; i < 3; i++) files.push(await createFile(aliceOnFew, itwin.rootFolderId, `part ${i}.ifc`));
      const streaming = [
        await stalledUpload(files[0]!.links.uploadUrl, fewOrigin, 1000, 10),
        await stalledUpload(files[1]!.links.uploadUrl, fewOrigin, 1000, 10),
      ];
      await until('both uploads are streaming', () => partials(few).length === 2, SLACK_MS);

      const third = await stalledUpload(files[2]!.links.uploadUrl, fewOrigin, 1000, 10);
      await third.closedWithin(SLACK_MS);
      assert.equal(third.status(), 429, third.text());
      assert.equal(third.response().headers['retry-after'], '10');
      assert.equal(errorOf(third).error.code, 'TooManyConcurrentUploads');
      assert.equal((await uploadRow(few, files[2]!.id)).staged_name, null);

      // Bob's uploads have slots of their own.
      const bobsITwin = await newITwin(bobOnFew);
      const bobsFile = await createFile(bobOnFew, bobsITwin.rootFolderId);
      const bobs = await fetch(local(bobsFile.links.uploadUrl, fewOrigin), { method: 'PUT', body: 'bob', headers: { 'x-ms-blob-type': 'BlockBlob' } });
      assert.equal(bobs.status, 201);

      // One of Alice's ends (whole): her slot is free again.
      streaming[0]!.write(Buffer.alloc(990, 'z'));
      await until('the first upload is stored', () => streaming[0]!.status() === 201, SLACK_MS);
      const again = await fetch(local(files[2]!.links.uploadUrl, fewOrigin), { method: 'PUT', body: 'now', headers: { 'x-ms-blob-type': 'BlockBlob' } });
      assert.equal(again.status, 201);
      for (const socket of streaming) socket.destroy();
      await until('the cut upload leaves no .partial file', () => partials(few).length === 0, SLACK_MS);
    });
  },
);
