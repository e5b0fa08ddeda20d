import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { prepare } from '../../bench/prepare.js';
import { SqlStore as Store } from '../../src/store/store.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { storeTargets, type TestDatabase } from '../helpers/stores.js';

const CONNECTIONS = 50;
const FILES = 4000;

/**
 * Every 201 is durable against a killed process: creates arrive on 50 connections at once (so they
 * are committed together in batches), the server is killed with SIGKILL in the middle of them, and
 * every connection it acknowledged must then be in the store, with its source file.
 */
for (const target of storeTargets) {
  describe(`acceptance: server killed under create load [${target.name}]`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let env: Record<string, string>;
    let server: ServerProcess | undefined;
    before(async () => {
      db = await target.create();
      env = {
        DATA_DIR: db.dataDir,
        DATABASE_URL: db.databaseUrl,
        DATABASE_SCHEMA: db.schema,
        // The token is issued before the server has a port: one issuer (the public URL) for both.
        PUBLIC_URL: 'http://twinsync.test',
        RATE_LIMIT_MAX: '1000000000',
        LOG_LEVEL: 'info',
      };
    });
    after(async () => {
      if (server?.child.exitCode === null) server.child.kill('SIGKILL');
      await db?.drop();
    });

    it('loses no acknowledged connection', async () => {
      const prepared = await prepare(env, FILES, path.join(db.dataDir, 'storage-file-ids.txt'));
      const fileIds = fs.readFileSync(prepared.idsFile, 'utf8').trim().split('\n');
      server = await startServerProcess(env, ['serve', '--no-worker']);
      const url = `${server.url}/synchronization/imodels/storageconnections`;
      const headers = { authorization: `Bearer ${prepared.token}`, 'content-type': 'application/json' };

      const acknowledged = new Map<string, string>(); // connection id → storage file id
      let next = 0;
      let failed = 0;
      let killed = false;
      const loop = async () => {
        while (!killed && next < fileIds.length) {
          const storageFileId = fileIds[next++]!;
          const body = JSON.stringify({ iModelId: prepared.iModelId, sourceFiles: [{ storageFileId, connectorType: 'IFC' }] });
          try {
            const res = await fetch(url, { method: 'POST', headers, body });
            const json = (await res.json()) as { connection?: { id: string } };
            assert.equal(res.status, 201, JSON.stringify(json));
            acknowledged.set(json.connection!.id, storageFileId);
          } catch (error) {
            if (!killed) throw error;
            failed++; // in flight when the process died: never acknowledged (most runs have some)
          }
        }
      };
      let stopped: unknown;
      const loops = Array.from({ length: CONNECTIONS }, () =>
        loop().catch((error) => {
          stopped ??= error;
          killed = true;
        }),
      );
      // Kill once the server is busy committing batch after batch, well before the files run out.
      while (acknowledged.size < 1000 && next < fileIds.length && !stopped) await new Promise((r) => setTimeout(r, 5));
      if (stopped) throw stopped;
      killed = true;
      server.child.kill('SIGKILL');
      await Promise.all(loops);
      assert.equal(await server.exited, null, 'ended by the signal');

      const store = await Store.open({ databaseUrl: db.databaseUrl, schema: db.schema });
      try {
        const rows = await store.db
          .selectFrom('storage_connections')
          .innerJoin('source_files', 'source_files.connection_id', 'storage_connections.id')
          .select(['storage_connections.id as id', 'source_files.storage_file_id as storageFileId'])
          .execute();
        const stored = new Map(rows.map((r) => [r.id, r.storageFileId]));
        const lost = [...acknowledged].filter(([id, fileId]) => stored.get(id) !== fileId);
        assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.size} acknowledged connections lost`);
        // Requests in flight may or may not have been committed; nothing else is there.
        assert.ok(stored.size <= acknowledged.size + failed);
      } finally {
        await store.close();
      }
    });
  });
}
