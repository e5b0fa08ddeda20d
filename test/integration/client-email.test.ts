import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { ROOT } from '../helpers/server-process.js';

const run = promisify(execFile);
const V2 = 'application/vnd.bentley.itwin-platform.v2+json';
const AC = (id: string) => `/accesscontrol/itwins/${id}`;

/** `npm run <script> -- …` (src/cli/<script>.ts) as its own process, on the suite's store. */
async function cli(env: Record<string, string>, script: 'clients' | 'token', ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

onEveryStore('a built-in issuer client added with --email: its address in its tokens, /users/me and member lookups', ({ h }) => {
  // The command-line tools run as an operator's would: on the server's store, from their own DATA_DIR.
  let tool: Record<string, string>;
  before(() => {
    tool = { DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-tool-')), DATABASE_URL: h.db.databaseUrl, DATABASE_SCHEMA: h.db.schema, PUBLIC_URL };
  });
  after(() => fs.rmSync(tool.DATA_DIR!, { recursive: true, force: true }));

  /** A request with the v2 media type, as the iTwin CLI sends them (`accept` for other APIs). */
  const call = async (token: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, accept = V2) => {
    const res = await h.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, accept, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.body, json: () => JSON.parse(res.body) };
  };

  /** A token of the client from the token endpoint (client_credentials), as a client program gets one. */
  async function endpointToken(clientId: string, secret: string): Promise<string> {
    const res = await h.app.inject({
      method: 'POST',
      url: '/connect/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&client_id=${clientId}&client_secret=${secret}&scope=itwin-platform`,
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().access_token;
  }

  async function addClient(clientId: string, subject: string, email: string): Promise<string> {
    const added = await cli(tool, 'clients', 'add', clientId, '--subject', subject, '--scope', 'itwin-platform', '--email', email);
    assert.equal(added.code, 0, added.stderr);
    return added.stdout.trim();
  }

  it('tokens from the token endpoint and from npm run token carry the address; /users/me and the Users API show it', async () => {
    const secret = await addClient('sam-app', 'sam', 'Sam@Example.com');
    const listed = await cli(tool, 'clients', 'list');
    assert.match(listed.stdout, /^sam-app\tsubject=sam\tscopes=itwin-platform email=Sam@Example\.com$/m);

    const fromEndpoint = await endpointToken('sam-app', secret);
    assert.equal(decodeJwt(fromEndpoint).email, 'Sam@Example.com');
    const me = await call(fromEndpoint, 'GET', '/users/me');
    assert.equal(me.status, 200, me.body);
    assert.equal(me.json().user.id, 'sam');
    assert.equal(me.json().user.email, 'Sam@Example.com');

    // A second client, whose first token comes from `npm run token`.
    await addClient('tess-app', 'tess', 'tess@example.com');
    const printed = await cli(tool, 'token', '--client', 'tess-app', '--scope', 'itwin-platform');
    assert.equal(printed.code, 0, printed.stderr);
    const fromTool = printed.stdout.trim();
    assert.equal(decodeJwt(fromTool).email, 'tess@example.com');
    assert.equal((await call(fromTool, 'GET', '/users/me')).json().user.email, 'tess@example.com');
    // A token the tool makes for another subject does not claim the client's address; that subject has the issuer's own.
    const other = await cli(tool, 'token', '--client', 'tess-app', '--sub', 'someone-else', '--scope', 'itwin-platform');
    assert.equal(other.code, 0, other.stderr);
    assert.equal(decodeJwt(other.stdout.trim()).email, undefined);
    assert.equal((await call(other.stdout.trim(), 'GET', '/users/me')).json().user.email, 'someone-else@clients.twinsync.localhost');

    const byIds = await call(fromEndpoint, 'POST', '/users/getbyidlist', ['tess', 'sam']);
    assert.deepEqual(
      byIds.json().users.map((u: { id: string; email: string }) => [u.id, u.email]),
      [
        ['tess', 'tess@example.com'],
        ['sam', 'Sam@Example.com'],
      ],
    );
    assert.deepEqual(
      (await call(fromEndpoint, 'GET', '/users/?$search=sam@example')).json().users.map((u: { id: string }) => u.id),
      ['sam'],
    );
  });

  it('an owner adds the client by its address: as a user member at once once seen, through an invitation before', async () => {
    const itwin = await h.itwin();
    const owner = await h.token();
    const roles = await call(owner, 'POST', `${AC(itwin.id)}/roles`, { displayName: 'Reader', description: '' });
    const reader = roles.json().role.id;

    // Seen already (the test above): added at once, whatever the case of the address.
    const added = await call(owner, 'POST', `${AC(itwin.id)}/members/users`, { members: [{ email: 'sam@EXAMPLE.com', roleIds: [reader] }] });
    assert.equal(added.status, 201, added.body);
    assert.deepEqual(
      added.json().members.map((m: { id: string; email: string }) => [m.id, m.email]),
      [['sam', 'Sam@Example.com']],
    );
    assert.deepEqual(added.json().invitations, []);
    const member = await call(owner, 'GET', `${AC(itwin.id)}/members/users/sam`);
    assert.equal(member.status, 200, member.body);
    assert.equal(member.json().member.email, 'Sam@Example.com');

    // Never seen: invited; its first token turns the invitation into a membership.
    const secret = await addClient('uma-app', 'uma', 'uma@example.com');
    const invited = await call(owner, 'POST', `${AC(itwin.id)}/members/owners`, { email: 'uma@example.com' });
    assert.equal(invited.status, 201, invited.body);
    assert.equal(invited.json().member, null);
    assert.equal(invited.json().invitation.email, 'uma@example.com');
    const uma = await endpointToken('uma-app', secret);
    assert.equal((await call(uma, 'GET', `/itwins/${itwin.id}`, undefined, 'application/vnd.bentley.itwin-platform.v1+json')).status, 200);
    const owners = await call(owner, 'GET', `${AC(itwin.id)}/members/owners`);
    assert.ok(
      owners.json().members.some((m: { id: string; email: string }) => m.id === 'uma' && m.email === 'uma@example.com'),
      owners.body,
    );
    assert.deepEqual((await call(owner, 'GET', `${AC(itwin.id)}/members/invitations`)).json().invitations, []);

    // A group takes the address too.
    const group = await call(owner, 'POST', `${AC(itwin.id)}/groups`, { name: 'Apps', description: '' });
    const updated = await call(owner, 'PATCH', `${AC(itwin.id)}/groups/${group.json().group.id}`, { members: ['TESS@example.com'] });
    assert.equal(updated.status, 200, updated.body);
    assert.deepEqual(updated.json().group.members, [{ userId: 'tess', email: 'tess@example.com', givenName: null, surname: null, organization: null }]);
  });

  it('refuses an address that could not be used to add the client', async () => {
    for (const email of ['not-an-address', 'sam@localhost', 'a b@example.com']) {
      const res = await cli(tool, 'clients', 'add', `bad-${email.length}`, '--email', email);
      assert.equal(res.code, 2, email);
      assert.match(res.stderr, /--email must be an e-mail address/);
    }
    assert.ok(!(await cli(tool, 'clients', 'list')).stdout.includes('bad-'));
  });
});
