import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StoreTarget, TestDatabase } from './stores.js';

/**
 * One database of `target` shared by several API processes of one deployment, each on its own
 * DATA_DIR (machines that share nothing but the database). `machine()` is a StoreTarget for
 * createHarness: every harness made from it gets a fresh, empty DATA_DIR on the shared database,
 * and closing it removes only that DATA_DIR. `drop()` drops the database.
 */
export interface SharedDatabase {
  readonly db: TestDatabase;
  machine(): StoreTarget;
  /** The environment of a process of the deployment on `dataDir`. */
  env(dataDir: string): Record<string, string>;
  drop(): Promise<void>;
}

export async function sharedDatabase(target: StoreTarget): Promise<SharedDatabase> {
  const db = await target.create();
  return {
    db,
    machine: () => ({
      name: target.name,
      create: async () => {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-machine-'));
        return { databaseUrl: db.databaseUrl, schema: db.schema, dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
      },
    }),
    env: (dataDir) => ({ DATA_DIR: dataDir, DATABASE_URL: db.databaseUrl, DATABASE_SCHEMA: db.schema }),
    drop: () => db.drop(),
  };
}
