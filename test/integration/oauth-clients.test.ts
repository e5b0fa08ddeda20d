import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createHarness, type Harness } from '../helpers/harness.js';
import { ROOT } from '../helpers/server-process.js';
import { sharedDatabase, type SharedDatabase } from '../helpers/shared-database.js';
import { storeTargets } from '../helpers/stores.js';

const run = promisify(execFile);

/** `npm run clients -- …` as its own process, with `env` (DATA_DIR, DATABASE_URL, DATABASE_SCHEMA). */
async function clients(env: Record<string, string>, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/clients.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

const ITWINS = { method: 'GET' as const, url: '/itwins', headers: { accept: 'application/vnd.bentley.itwin-platform.v1+json' } };

const listITwins = (h: Harness, token: string) => h.app.inject({ ...ITWINS, headers: { ...ITWINS.headers, authorization: `Bearer ${token}` } });

async function tokenFor(h: Harness, clientId: string, secret: string): Promise<string> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/connect/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
    payload: 'grant_type=client_credentials&scope=itwin-platform',
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().access_token as string;
}

/** Polls until `h` answers `status` with the token, for at most `ms`; returns how long it took. */
async function until(h: Harness, token: string, status: number, ms: number): Promise<number> {
  const started = performance.now();
  let last = 0;
  while (performance.now() - started < ms) {
    last = (await listITwins(h, token)).statusCode;
    if (last === status) return performance.now() - started;
    await sleep(25);
  }
  assert.fail(`still ${last} after ${ms} ms, expected ${status}`);
}

// Two API processes of one deployment: one database, each on its own DATA_DIR (nothing else shared),
// and the command-line tool on a third DATA_DIR.
for (const target of storeTargets) {
  describe(`OAuth clients: npm run clients, and removal noticed at once [${target.name}]`, { skip: target.skip }, () => {
    let shared: SharedDatabase;
    let h: Harness;
    let other: Harness;
    let tool: Record<string, string>;
    before(async () => {
      shared = await sharedDatabase(target);
      h = await createHarness(shared.machine());
      other = await createHarness(shared.machine());
      tool = shared.env(fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-tool-')));
    });
    after(async () => {
      await h?.close();
      await other?.close();
      if (tool) fs.rmSync(tool.DATA_DIR!, { recursive: true, force: true });
      await shared?.drop();
    });

    it('add prints the secret; list shows the clients without secrets; secret prints it; remove makes its tokens fail on every process', async () => {
      const clientId = `tool-${Math.random().toString(36).slice(2, 8)}`;
      const added = await clients(tool, 'add', clientId, '--subject', 'tool-user', '--scope', 'itwin-platform', '--redirect-uri', 'https://tool.example/cb');
      assert.equal(added.code, 0, added.stderr);
      const secret = added.stdout.trim();
      assert.match(secret, /^[A-Za-z0-9_-]{32}$/);
      assert.deepEqual((await h.store.deployment.findClient(clientId))?.redirectUris, ['https://tool.example/cb']);
      assert.deepEqual(fs.readdirSync(tool.DATA_DIR!), [], 'the tool wrote nothing into its DATA_DIR');

      const listed = await clients(tool, 'list');
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, new RegExp(`^${clientId}\\tsubject=tool-user\\tscopes=itwin-platform redirectUris=https://tool.example/cb$`, 'm'));
      assert.match(listed.stdout, /^twinsync-local\t/m, 'the default client, made once for the deployment');
      assert.ok(!listed.stdout.includes(secret), 'no secret in the list');
      assert.equal((await clients(tool, 'secret', clientId)).stdout, `${secret}\n`);

      // Both processes know the new client at once (its secret works at their token endpoints) …
      const tokenA = await tokenFor(h, clientId, secret);
      const tokenB = await tokenFor(other, clientId, secret);
      // … and accept its tokens, which they then remember (the verified-token cache).
      assert.equal((await listITwins(h, tokenA)).statusCode, 200);
      assert.equal((await listITwins(other, tokenB)).statusCode, 200);
      assert.equal((await listITwins(other, tokenA)).statusCode, 200);

      const removed = await clients(tool, 'remove', clientId);
      assert.equal(removed.code, 0, removed.stderr);
      // Each process reads the clients every second. Generous for a loaded machine.
      for (const [server, token] of [
        [h, tokenA],
        [other, tokenB],
        [other, tokenA],
      ] as const) {
        await until(server, token, 401, 3000);
        assert.equal((await listITwins(server, token)).json().error.code, 'InvalidToken');
      }
      // The client's secret no longer gets tokens either.
      const refused = await h.app.inject({
        method: 'POST',
        url: '/connect/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `grant_type=client_credentials&client_id=${clientId}&client_secret=${secret}`,
      });
      assert.equal(refused.statusCode, 401);
      assert.ok(!(await clients(tool, 'list')).stdout.includes(clientId));
    });

    it('add --public makes a public client: no secret, listed as public, no tokens of its own', async () => {
      const clientId = `spa-${Math.random().toString(36).slice(2, 8)}`;
      const added = await clients(tool, 'add', clientId, '--public', '--redirect-uri', 'https://spa.example/callback');
      assert.equal(added.code, 0, added.stderr);
      assert.equal(added.stdout, '', 'no secret to print');
      assert.match((await clients(tool, 'list')).stdout, new RegExp(`^${clientId}\\tpublic\\tscopes=.* redirectUris=https://spa.example/callback$`, 'm'));
      const secret = await clients(tool, 'secret', clientId);
      assert.equal(secret.code, 2);
      assert.match(secret.stderr, /public client: it has no secret/);
      const own = await h.app.inject({
        method: 'POST',
        url: '/connect/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `grant_type=client_credentials&client_id=${clientId}`,
      });
      assert.equal(own.statusCode, 400);
      assert.equal(own.json().error, 'unauthorized_client');
      const noRedirect = await clients(tool, 'add', `${clientId}-2`, '--public');
      assert.equal(noRedirect.code, 2);
      assert.match(noRedirect.stderr, /needs at least one --redirect-uri/);
    });

    it('mistakes are refused with a message: unknown command, unknown client, a duplicate, a bad redirect URI or scope', async () => {
      const cases: Array<[string[], RegExp]> = [
        [['frobnicate', 'x'], /usage: npm run clients/],
        [['list', 'x'], /usage: npm run clients/],
        [['remove', 'nobody'], /no client "nobody"/],
        [['secret', 'nobody'], /no client "nobody"/],
        [['add', 'twinsync-local'], /already exists/],
        [['add', 'x1', '--redirect-uri', 'not a url'], /--redirect-uri must be an absolute http\(s\) URL/],
        [['add', 'x2', '--scope', 'admin'], /unknown scope admin/],
      ];
      for (const [args, message] of cases) {
        const res = await clients(tool, ...args);
        assert.equal(res.code, 2, args.join(' '));
        assert.match(res.stderr, message, args.join(' '));
      }
    });
  });
}
