import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Every store test and API integration test runs on SQLite and on PostgreSQL. PostgreSQL runs need
 * TWINSYNC_TEST_DATABASE_URL (CI sets it); without it they are skipped with a visible reason.
 */
export interface StoreTarget {
  readonly name: 'sqlite' | 'postgres';
  /** undefined: this target is skipped, and `skip` says why. */
  readonly skip?: string;
  /** A fresh, empty database for one test file: a new SQLite file or a new PostgreSQL schema. */
  create(): Promise<TestDatabase>;
}

export interface TestDatabase {
  databaseUrl: string;
  schema: string;
  dataDir: string;
  drop(): Promise<void>;
}

const postgresUrl = process.env.TWINSYNC_TEST_DATABASE_URL?.trim();

export const storeTargets: readonly StoreTarget[] = [
  {
    name: 'sqlite',
    async create() {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-test-'));
      return {
        databaseUrl: `sqlite:${path.join(dataDir, 'twinsync.db')}`,
        schema: 'public',
        dataDir,
        drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'postgres',
    skip: postgresUrl ? undefined : 'PostgreSQL runs skipped: TWINSYNC_TEST_DATABASE_URL is not set',
    async create() {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-test-'));
      const schema = `test_${randomBytes(6).toString('hex')}`;
      return {
        databaseUrl: postgresUrl!,
        schema,
        dataDir,
        drop: async () => {
          const client = new pg.Client({ connectionString: postgresUrl });
          await client.connect();
          await client.query(`drop schema if exists "${schema}" cascade`);
          await client.end();
          fs.rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  },
];
