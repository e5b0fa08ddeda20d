import fs from 'node:fs';
import pg from 'pg';
import { BuiltinIssuer } from '../src/auth/builtin-issuer.js';
import type { OAuthClient } from '../src/auth/clients.js';
import { loadConfig } from '../src/config.js';
import { nowIso } from '../src/domain/clock.js';
import { newOpaqueId } from '../src/domain/ids.js';
import { createIModel } from '../src/domain/imodels/create-imodel.js';
import { createITwin } from '../src/domain/itwins/create-itwin.js';
import type { StorageFileRow } from '../src/store/schema.js';
import { SqlStore as Store } from '../src/store/store.js';

export interface Prepared {
  token: string;
  iModelId: string;
  /** File with one completed storage file id per line, none used yet. */
  idsFile: string;
  files: number;
}

const CHUNK = 500;

/**
 * Puts what the create requests need straight into the store the server will open: an iTwin the
 * token's subject is a member of, an iModel in it and `files` completed storage files. Files are
 * inserted in bulk (createFileWithContent writes one blob and one transaction per file, far too slow
 * for tens of thousands); the create path only reads their rows, so no blobs are written.
 */
export async function prepare(serverEnv: Record<string, string>, files: number, idsFile: string): Promise<Prepared> {
  const config = loadConfig(serverEnv);
  const store = await Store.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
  const ids: string[] = [];
  let iModelId: string;
  let issuer: BuiltinIssuer;
  let client: OAuthClient;
  try {
    // The issuer's key and clients are the store's: the server opening it signs alike.
    issuer = await BuiltinIssuer.load(store.deployment, config.dataDir, config.auth);
    client = issuer.clients[0]!;
    const subject = client.subject;
    const itwin = await createITwin(store, subject, { displayName: 'Bench iTwin' });
    iModelId = (await createIModel(store, subject, { iTwinId: itwin.id, name: 'Bench iModel' })).id;
    const now = nowIso();
    await store.db.transaction().execute(async (trx) => {
      for (let start = 0; start < files; start += CHUNK) {
        const rows: StorageFileRow[] = [];
        for (let i = start; i < Math.min(start + CHUNK, files); i++) {
          const id = newOpaqueId();
          ids.push(id);
          rows.push({
            id,
            itwin_id: itwin.id,
            folder_id: itwin.rootFolderId,
            display_name: `bench-${i}.ifc`,
            description: null,
            size: 1,
            content_version: 1,
            content_hash: '0'.repeat(64),
            created_at: now,
            created_by: subject,
            modified_at: now,
            modified_by: subject,
          });
        }
        await trx.insertInto('storage_files').values(rows).execute();
      }
    });
  } finally {
    await store.close();
  }
  // Ids begin with their creation time (src/domain/ids.ts): used in the order they were made, each
  // create would insert at the end of the source files' index by storage file. Real clients map
  // files soon after uploading them, but not in order; shuffled, the bench does not flatter twinsync.
  shuffle(ids);
  fs.writeFileSync(idsFile, `${ids.join('\n')}\n`);

  // Long enough for any run; the server verifies it against the same key and issuer.
  const { token } = await issuer.issue({ subject: client.subject, clientId: client.clientId, scopes: ['itwin-platform'], ttlSeconds: 6 * 3600 });
  return { token, iModelId, idsFile, files };
}

/** Connections the server committed: checked against the 201s it answered. */
export async function countConnections(serverEnv: Record<string, string>): Promise<number> {
  const config = loadConfig(serverEnv);
  const store = await Store.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
  try {
    const row = await store.db
      .selectFrom('storage_connections')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await store.close();
  }
}

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** Fisher-Yates, in place. */
function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
