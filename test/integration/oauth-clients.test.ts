import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { Harness } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { ROOT } from '../helpers/server-process.js';

const run = promisify(execFile);

/** `npm run clients -- …` as its own process, on `dataDir`. */
async function clients(dataDir: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/clients.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
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

// Two API processes of one deployment: the same DATA_DIR (issuer key and clients.json), each with its own app.
const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-clients-'));
after(() => fs.rmSync(shared, { recursive: true, force: true }));

onEveryStore('OAuth clients: npm run clients, and removal noticed at once', { env: { DATA_DIR: shared } }, ({ h, harness }) => {
  const other = harness({ DATA_DIR: shared });

  it('add prints the secret once; list shows the clients without secrets; remove makes its tokens fail on every process', async () => {
    const clientId = `tool-${Math.random().toString(36).slice(2, 8)}`;
    const added = await clients(shared, 'add', clientId, '--subject', 'tool-user', '--scope', 'itwin-platform', '--redirect-uri', 'https://tool.example/cb');
    assert.equal(added.code, 0, added.stderr);
    const secret = added.stdout.trim();
    assert.match(secret, /^[A-Za-z0-9_-]{32}$/);
    const file = path.join(shared, 'clients.json');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ clientId: string; redirectUris?: string[] }>;
    assert.deepEqual(stored.find((c) => c.clientId === clientId)?.redirectUris, ['https://tool.example/cb']);
    assert.deepEqual(
      fs.readdirSync(shared).filter((f) => f.endsWith('.tmp')),
      [],
      'no temporary file left',
    );

    const listed = await clients(shared, 'list');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^${clientId}\\tsubject=tool-user\\tscopes=itwin-platform redirectUris=https://tool.example/cb$`, 'm'));
    assert.ok(!listed.stdout.includes(secret), 'no secret in the list');

    // Both processes notice the new client (its secret works at their token endpoints) …
    const tokenA = await tokenFor(h, clientId, secret);
    const tokenB = await tokenFor(other, clientId, secret);
    // … and accept its tokens, which they then remember (the verified-token cache).
    assert.equal((await listITwins(h, tokenA)).statusCode, 200);
    assert.equal((await listITwins(other, tokenB)).statusCode, 200);
    assert.equal((await listITwins(other, tokenA)).statusCode, 200);

    const removed = await clients(shared, 'remove', clientId);
    assert.equal(removed.code, 0, removed.stderr);
    // fs.watch notices in milliseconds; the periodic stat within a second. Generous for a loaded machine.
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
    assert.ok(!(await clients(shared, 'list')).stdout.includes(clientId));
  });

  it('a client removed by editing clients.json by hand is noticed too; a half-written file keeps the clients', async () => {
    const file = path.join(shared, 'clients.json');
    const clientId = `hand-${Math.random().toString(36).slice(2, 8)}`;
    const secret = (await clients(shared, 'add', clientId)).stdout.trim();
    const token = await tokenFor(h, clientId, secret);
    await until(other, token, 200, 3000);

    // An editor writing in place: first an empty (invalid) file, which must not drop every client …
    const before = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, '');
    await sleep(300);
    assert.equal((await listITwins(h, token)).statusCode, 200, 'an invalid file keeps the previous clients');
    // … then the file without the client.
    const without = (JSON.parse(before) as Array<{ clientId: string }>).filter((c) => c.clientId !== clientId);
    fs.writeFileSync(file, JSON.stringify(without, null, 2));
    await until(h, token, 401, 3000);
    await until(other, token, 401, 3000);
  });
});

// Store-independent: once, not per store.
describe('npm run clients refuses mistakes', () => {
  it('mistakes are refused with a message: unknown command, unknown client, a duplicate, a bad redirect URI or scope', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate', 'x'], /usage: npm run clients/],
      [['remove', 'nobody'], /no client "nobody"/],
      [['add', 'twinsync-local'], /already exists/],
      [['add', 'x1', '--redirect-uri', 'not a url'], /--redirect-uri must be an absolute http\(s\) URL/],
      [['add', 'x2', '--scope', 'admin'], /unknown scope admin/],
    ];
    for (const [args, message] of cases) {
      const res = await clients(shared, ...args);
      assert.equal(res.code, 2, args.join(' '));
      assert.match(res.stderr, message, args.join(' '));
    }
  });
});
