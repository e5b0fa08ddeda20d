import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { WEB_CALLBACK_PATH, WEB_CLIENT_ID } from '../../src/auth/clients.js';
import { createHarness, PUBLIC_URL, type Harness } from '../helpers/harness.js';
import { ROOT } from '../helpers/server-process.js';
import { sharedDatabase, type SharedDatabase } from '../helpers/shared-database.js';
import { formTokenOf, pkcePair } from '../helpers/sign-in.js';
import { storeTargets } from '../helpers/stores.js';

const run = promisify(execFile);

/** `npm run users -- …` as its own process, with `env` (DATA_DIR, DATABASE_URL, DATABASE_SCHEMA) and `stdin`. */
async function users(env: Record<string, string>, args: string[], stdin?: string): Promise<{ stdout: string; stderr: string; code: number }> {
  const child = run(process.execPath, ['--import', 'tsx', 'src/cli/users.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env, LOG_LEVEL: 'silent' } });
  child.child.stdin?.end(stdin ?? '');
  try {
    const { stdout, stderr } = await child;
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

const CALLBACK = `${PUBLIC_URL}${WEB_CALLBACK_PATH}`;

/**
 * Signs in through the web application's client on `h` (page, post with its cookie), as a browser
 * would: the code, or undefined with the status of the answer when the password is refused.
 */
async function signIn(h: Harness, email: string, password: string): Promise<{ status: number; code?: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: WEB_CLIENT_ID,
    redirect_uri: CALLBACK,
    scope: 'openid email itwin-platform',
    state: 's',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const url = `/connect/authorize?${query}`;
  const page = await h.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
  assert.equal(page.statusCode, 200, page.body);
  const cookie = String(page.headers['set-cookie']).split(';')[0]!;
  const res = await h.app.inject({
    method: 'POST',
    url,
    headers: { accept: 'text/html', cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ email, password, form_token: formTokenOf(page.body)! }).toString(),
  });
  const location = res.headers.location as string | undefined;
  return { status: res.statusCode, verifier, ...(location ? { code: new URL(location).searchParams.get('code')! } : {}) };
}

// Two API processes of one deployment (one database, each on its own DATA_DIR) and the tool on a third.
for (const target of storeTargets) {
  describe(`accounts: npm run users, seen by every API process at once [${target.name}]`, { skip: target.skip }, () => {
    let shared: SharedDatabase;
    let h: Harness;
    let other: Harness;
    let tool: Record<string, string>;
    before(async () => {
      shared = await sharedDatabase(target);
      h = await createHarness(shared.machine(), {}, { signIn: true });
      other = await createHarness(shared.machine(), {}, { signIn: true });
      tool = shared.env(fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-tool-')));
    });
    after(async () => {
      await h?.close();
      await other?.close();
      if (tool) fs.rmSync(tool.DATA_DIR!, { recursive: true, force: true });
      await shared?.drop();
    });

    it('the deployment’s set-up made one first account, once, however many processes started', async () => {
      assert.ok(h.firstAccount?.generatedPassword);
      assert.equal(other.firstAccount, undefined, 'the second process found the deployment set up');
      const listed = await users(tool, ['list']);
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, /^[0-9a-f-]{36}\tadmin@twinsync.localhost\tadmin\t\d{4}-/m);
      assert.equal(listed.stdout.trim().split('\n').length, 1);
      assert.equal((await signIn(other, 'admin@twinsync.localhost', h.firstAccount!.generatedPassword!)).status, 303);
    });

    it('add (a printed random password, or one from standard input), list, set-password, remove; each seen by both processes', async () => {
      const added = await users(tool, ['add', '--email', 'Ann@Example.com', '--name', 'Ann Example', '--given-name', 'Ann', '--surname', 'Example']);
      assert.equal(added.code, 0, added.stderr);
      const generated = added.stdout.trim();
      assert.match(generated, /^[A-Za-z0-9_-]{24}$/, 'the password alone on standard output');
      assert.match(added.stderr, /added Ann@Example.com \(id [0-9a-f-]{36}\); its password, shown this once/);
      assert.deepEqual(fs.readdirSync(tool.DATA_DIR!), [], 'the tool wrote nothing into its DATA_DIR');
      const stored = await h.store.accounts.findByEmail('ann@example.com');
      assert.equal(stored?.displayName, 'Ann Example');
      assert.equal(stored?.givenName, 'Ann');
      const row = await h.store.db.selectFrom('accounts').select('password').where('id', '=', stored!.id).executeTakeFirstOrThrow();
      assert.match(row.password, /^scrypt\$15\$8\$1\$/);
      assert.ok(!row.password.includes(generated), 'a hash, not the password');

      // Both processes let her in at once, with the address in any case.
      const first = await signIn(h, 'ann@example.com', generated);
      assert.equal(first.status, 303);
      assert.equal((await signIn(other, 'ANN@EXAMPLE.COM', generated)).status, 303);
      const tokens = await h.app.inject({
        method: 'POST',
        url: '/connect/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: WEB_CLIENT_ID,
          code: first.code!,
          redirect_uri: CALLBACK,
          code_verifier: first.verifier,
        }).toString(),
      });
      assert.equal(tokens.statusCode, 200, tokens.body);
      const refreshToken = tokens.json().refresh_token as string;

      const listed = await users(tool, ['list']);
      assert.match(listed.stdout, new RegExp(`^${stored!.id}\\tAnn@Example.com\\tAnn Example\\t`, 'm'));
      assert.ok(!listed.stdout.includes(generated));

      // A password from standard input: nothing printed; the old one stops working, and her sign-ins end.
      const chosen = 'a chosen password';
      const set = await users(tool, ['set-password', 'ann@example.com', '--password-stdin'], `${chosen}\n`);
      assert.equal(set.code, 0, set.stderr);
      assert.equal(set.stdout, '');
      assert.equal((await signIn(other, 'ann@example.com', generated)).status, 200, 'the page again');
      assert.equal((await signIn(other, 'ann@example.com', chosen)).status, 303);
      const refreshed = await other.app.inject({
        method: 'POST',
        url: '/connect/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'refresh_token', client_id: WEB_CLIENT_ID, refresh_token: refreshToken }).toString(),
      });
      assert.equal(refreshed.json().error, 'invalid_grant');

      // set-password by id, random: printed once.
      const random = await users(tool, ['set-password', stored!.id]);
      assert.equal(random.code, 0, random.stderr);
      assert.equal((await signIn(h, 'ann@example.com', random.stdout.trim())).status, 303);

      const removed = await users(tool, ['remove', 'ann@example.com']);
      assert.equal(removed.code, 0, removed.stderr);
      assert.equal((await signIn(h, 'ann@example.com', random.stdout.trim())).status, 200);
      assert.equal(await h.store.accounts.findByEmail('ann@example.com'), undefined);
    });

    it('mistakes are refused with a message and exit code 2', async () => {
      const cases: Array<[string[], RegExp, string?]> = [
        [['frobnicate'], /usage: npm run users/],
        [['list', 'x'], /usage: npm run users/],
        [['add'], /add needs --email/],
        [['add', '--email', 'not-an-address'], /is not an e-mail address/],
        [['add', '--email', 'admin@TWINSYNC.LOCALHOST'], /exists already/],
        [['add', '--email', 'bot@Clients.TwinSync.localhost'], /the built-in issuer's own/],
        [['add', '--email', 'short@example.com', '--password', 'short'], /at least 8 characters/],
        [['add', '--email', 'x@example.com', '--password', 'longenough', '--password-stdin'], /not both/],
        [['add', '--email', 'y@example.com', '--password-stdin'], /held no password/, ''],
        [['set-password', 'nobody@example.com'], /no account nobody@example.com/],
        [['remove', 'nobody'], /no account nobody/],
      ];
      for (const [args, message, stdin] of cases) {
        const res = await users(tool, args, stdin);
        assert.equal(res.code, 2, args.join(' '));
        assert.match(res.stderr, message, args.join(' '));
        assert.equal(res.stdout, '', args.join(' '));
      }
      assert.equal((await users(tool, ['list'])).stdout.trim().split('\n').length, 1, 'nothing was added');
    });
  });
}
