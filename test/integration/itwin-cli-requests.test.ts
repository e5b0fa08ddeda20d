import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Worker } from '../../src/worker/worker.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { pollUntilCompleted, runEnv, runIdOf, runnableConnection, startRun, startWorker } from '../helpers/runs.js';
import { freePort } from '../helpers/server-process.js';

const V2 = 'application/vnd.bentley.itwin-platform.v2+json';
const V1 = 'application/vnd.bentley.itwin-platform.v1+json';

interface Options {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  accept?: string;
}

/**
 * A client that makes requests the way the iTwin CLI's own HTTP client does for the commands that do
 * not go through a Bentley client library (access control, users, changed elements, storage):
 * `Content-Type: application/json` on every request, body or not; `Accept` only for access control
 * (v2) and the storage root folder (v1); query parameters without a value left out. An answer is read as JSON only when it has a
 * Content-Type: the CLI calls `response.json()` whenever one is present, so a bodiless answer that
 * carried one would break the command. Written for twinsync from what the CLI sends; no CLI code.
 */
function cliClient(base: string, token: string, accept?: string) {
  const request = async (method: string, path: string, options: Options = {}) => {
    const query = Object.entries(options.query ?? {})
      .filter(([, v]) => Boolean(v))
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('&');
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const wanted = options.accept ?? accept;
    if (wanted) headers.accept = wanted;
    return fetch(`${base}/${path}${query ? `?${query}` : ''}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      redirect: 'manual',
    });
  };
  return {
    /** A command that reads the answer: 2xx with a JSON body. */
    async send(method: string, path: string, options?: Options): Promise<any> {
      const res = await request(method, path, options);
      const text = await res.text();
      assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/, `${method} ${path} answers JSON`);
      return JSON.parse(text);
    },
    /** A command that reads nothing: 2xx, and no Content-Type (the CLI would parse an empty body). */
    async sendNoResponse(method: string, path: string, options?: Options): Promise<number> {
      const res = await request(method, path, options);
      const text = await res.text();
      assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
      assert.equal(res.headers.get('content-type'), null, `${method} ${path} has no Content-Type`);
      assert.equal(text, '');
      return res.status;
    },
    /** A command that fails: the CLI shows the `error` object of the JSON answer. */
    async fail(method: string, path: string, options?: Options): Promise<{ status: number; error: { code: string } }> {
      const res = await request(method, path, options);
      assert.ok(!res.ok, `${method} ${path} fails`);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      return { status: res.status, error: ((await res.json()) as { error: { code: string } }).error };
    },
    request,
  };
}

let port = 0;

/**
 * Every command of the iTwin CLI's `access-control`, `user`, `changed-elements` and `storage`
 * groups, in the shape the CLI sends and reading what it reads, against a listening twinsync
 * (docs/platform-operations.md). The `itwin` and `imodel` groups go through Bentley's client
 * libraries: the real iModels client is run in imodels-client.test.ts.
 */
onEveryStore(
  'the iTwin CLI’s requests',
  {
    env: async () => {
      port = await freePort();
      return runEnv(undefined, { PUBLIC_URL: `http://127.0.0.1:${port}` });
    },
  },
  ({ h }) => {
    let base: string;
    let worker: Worker;
    before(async () => {
      await h.app.listen({ port, host: '127.0.0.1' });
      base = `http://127.0.0.1:${port}`;
      worker = startWorker(h);
    });
    after(() => worker?.stop(1000));

    /** The CLI logged in as `subject`, whose token carries `email`. */
    async function cliAs(subject: string, email: string, accept?: string) {
      const { token } = await h.issuer.issue({ subject, clientId: 'twinsync-local', scopes: ['itwin-platform'], email });
      return cliClient(base, token, accept);
    }

    it('access-control: role, permissions, member user/owner/invitations, group, member group', async () => {
      const itwin = await h.itwin();
      const ac = await cliAs('alice', 'alice@example.com', V2);
      const users = await cliAs('bob', 'bob@example.com');
      await users.send('GET', 'users/me'); // bob is known by his address from now on
      const id = itwin.id;

      // role create, list, info, update, and permissions all / me
      const role = (await ac.send('POST', `accesscontrol/itwins/${id}/roles`, { body: { displayName: 'Reader', description: 'Reads' } })).role;
      assert.deepEqual(role, { id: role.id, displayName: 'Reader', description: 'Reads', permissions: [] });
      const all = (await ac.send('GET', 'accesscontrol/itwins/permissions')).permissions as string[];
      assert.ok(all.includes('itwins_read') && all.includes('administration_manage_groups'));
      const updatedRole = await ac.send('PATCH', `accesscontrol/itwins/${id}/roles/${role.id}`, { body: { permissions: ['itwins_read', 'imodels_read'] } });
      assert.deepEqual(updatedRole.role.permissions, ['itwins_read', 'imodels_read']);
      assert.deepEqual(
        (await ac.send('GET', `accesscontrol/itwins/${id}/roles`)).roles.map((r: { id: string }) => r.id),
        [role.id],
      );
      assert.equal((await ac.send('GET', `accesscontrol/itwins/${id}/roles/${role.id}`)).role.displayName, 'Reader');
      assert.deepEqual((await ac.send('GET', `accesscontrol/itwins/${id}/permissions`)).permissions, all);

      // member user add (one known address, one invited), list, info, update, delete; invitations
      const added = await ac.send('POST', `accesscontrol/itwins/${id}/members/users`, {
        body: {
          members: [
            { email: 'bob@example.com', roleIds: [role.id] },
            { email: 'carol@example.com', roleIds: [role.id] },
          ],
        },
      });
      assert.deepEqual(
        added.members.map((m: { id: string; email: string }) => [m.id, m.email]),
        [['bob', 'bob@example.com']],
      );
      assert.equal(added.invitations[0].email, 'carol@example.com');
      const invitations = await ac.send('GET', `accesscontrol/itwins/${id}/members/invitations`, { query: { $skip: undefined, $top: undefined } });
      assert.deepEqual(
        invitations.invitations.map((i: { email: string; status: string }) => [i.email, i.status]),
        [['carol@example.com', 'Pending']],
      );
      assert.deepEqual(
        (await ac.send('GET', `accesscontrol/itwins/${id}/members/users`)).members.map((m: { id: string }) => m.id),
        ['bob'],
      );
      assert.deepEqual((await ac.send('GET', `accesscontrol/itwins/${id}/members/users/bob`)).member.roles[0].id, role.id);
      const writer = (await ac.send('POST', `accesscontrol/itwins/${id}/roles`, { body: { displayName: 'Writer', description: 'Writes' } })).role;
      const updatedMember = await ac.send('PATCH', `accesscontrol/itwins/${id}/members/users/bob`, { body: { roleIds: [role.id, writer.id] } });
      assert.deepEqual(
        updatedMember.member.roles.map((r: { id: string }) => r.id),
        [role.id, writer.id],
      );

      // member owner add, list, delete
      const owner = await ac.send('POST', `accesscontrol/itwins/${id}/members/owners`, { body: { email: 'bob@example.com' } });
      assert.equal(owner.member.id, 'bob');
      assert.deepEqual(
        (await ac.send('GET', `accesscontrol/itwins/${id}/members/owners`)).members.map((m: { id: string }) => m.id),
        ['alice', 'bob'],
      );
      assert.equal(await ac.sendNoResponse('DELETE', `accesscontrol/itwins/${id}/members/owners/bob`), 204);

      // group create, info, update (a member by address, an IMS group), list
      const group = (await ac.send('POST', `accesscontrol/itwins/${id}/groups`, { body: { name: 'Crew', description: 'Field crew' } })).group;
      assert.deepEqual(group, { id: group.id, name: 'Crew', description: 'Field crew', members: [], imsGroups: [] });
      assert.equal((await ac.send('GET', `accesscontrol/itwins/${id}/groups/${group.id}`)).group.name, 'Crew');
      const updatedGroup = (
        await ac.send('PATCH', `accesscontrol/itwins/${id}/groups/${group.id}`, {
          body: { name: 'Survey crew', description: undefined, members: ['BOB@example.com'], imsGroups: ['CORP'] },
        })
      ).group;
      assert.equal(updatedGroup.name, 'Survey crew');
      assert.equal(updatedGroup.description, 'Field crew');
      assert.ok(updatedGroup.members.some((m: { email: string }) => m.email.toLowerCase() === 'bob@example.com'));
      assert.deepEqual(updatedGroup.imsGroups, ['CORP']);
      assert.ok((await ac.send('GET', `accesscontrol/itwins/${id}/groups`)).groups.some((g: { id: string }) => g.id === group.id));

      // member group add, info, update, list, delete
      const memberGroups = await ac.send('POST', `accesscontrol/itwins/${id}/members/groups`, {
        body: { members: [{ groupId: group.id, roleIds: [role.id] }] },
      });
      assert.deepEqual(
        memberGroups.members.map((m: { id: string; groupName: string; roles: { id: string }[] }) => [m.id, m.groupName, m.roles.map((r) => r.id)]),
        [[group.id, 'Survey crew', [role.id]]],
      );
      assert.equal((await ac.send('GET', `accesscontrol/itwins/${id}/members/groups/${group.id}`)).member.id, group.id);
      const updatedMemberGroup = await ac.send('PATCH', `accesscontrol/itwins/${id}/members/groups/${group.id}`, { body: { roleIds: [role.id, writer.id] } });
      assert.deepEqual(
        updatedMemberGroup.member.roles.map((r: { id: string }) => r.id),
        [role.id, writer.id],
      );
      const listedGroups = (await ac.send('GET', `accesscontrol/itwins/${id}/members/groups`)).members;
      assert.deepEqual(
        listedGroups.map((m: { id: string; roles: { id: string }[] }) => [m.id, m.roles.map((r) => r.id)]),
        [[group.id, [role.id, writer.id]]],
      );
      assert.equal(await ac.sendNoResponse('DELETE', `accesscontrol/itwins/${id}/members/groups/${group.id}`), 204);

      // group delete; its info is then GroupNotFound, which the CLI shows
      assert.equal(await ac.sendNoResponse('DELETE', `accesscontrol/itwins/${id}/groups/${group.id}`), 204);
      const gone = await ac.fail('GET', `accesscontrol/itwins/${id}/groups/${group.id}`);
      assert.equal(gone.status, 404);
      assert.equal(gone.error.code, 'GroupNotFound');

      // member user delete, role delete
      assert.equal(await ac.sendNoResponse('DELETE', `accesscontrol/itwins/${id}/members/users/bob`), 204);
      assert.equal(await ac.sendNoResponse('DELETE', `accesscontrol/itwins/${id}/roles/${writer.id}`), 204);
      assert.equal((await ac.fail('GET', `accesscontrol/itwins/${id}/roles/${writer.id}`)).error.code, 'RoleNotFound');
    });

    it('user: me, info (a bare array of ids), search (users/ with $search)', async () => {
      const dana = await cliAs('dana', 'dana@cli.example');
      const me = (await dana.send('GET', 'users/me')).user;
      assert.equal(me.id, 'dana');
      assert.equal(me.email, 'dana@cli.example');
      const info = await dana.send('POST', 'users/getbyidlist', { body: ['dana'] });
      assert.deepEqual(
        info.users.map((u: { id: string; email: string }) => [u.id, u.email]),
        [['dana', 'dana@cli.example']],
      );
      const found = await dana.send('GET', 'users/', { query: { $search: 'cli.example' } });
      assert.deepEqual(
        found.users.map((u: { id: string }) => u.id),
        ['dana'],
      );
    });

    it('changed-elements: enable, info, changesets, comparison, disable', async () => {
      const { iModelId, itwin, connectionId } = await runnableConnection(h, ['a.dgn']);
      // The CLI's client for the Changed Elements API sends no Accept.
      const ce = await cliAs('alice', 'alice@example.com');
      assert.equal(await ce.sendNoResponse('PUT', 'changedelements/tracking', { body: { enable: true, iModelId, iTwinId: itwin.id } }), 202);
      assert.deepEqual(await ce.send('GET', 'changedelements/tracking', { query: { iModelId, iTwinId: itwin.id } }), { enabled: true });
      const started = await startRun(h, connectionId);
      assert.equal(started.statusCode, 202, started.body);
      assert.equal((await pollUntilCompleted(h, connectionId, runIdOf(started.headers.location as string))).run.result, 'Success');
      const statuses = (await ce.send('GET', 'changedelements/changesets', { query: { iModelId, iTwinId: itwin.id, $top: undefined, $skip: undefined } }))
        .changesetStatus;
      assert.deepEqual(
        statuses.map((s: { index: number; ready: boolean }) => [s.index, s.ready]),
        [[1, true]],
      );
      const comparison = await ce.send('GET', 'changedelements/comparison', {
        query: { iTwinId: itwin.id, iModelId, startChangesetId: statuses[0].id, endChangesetId: statuses[0].id },
      });
      assert.deepEqual(comparison.changedElements.elements, []);
      assert.equal(await ce.sendNoResponse('PUT', 'changedelements/tracking', { body: { enable: false, iModelId, iTwinId: itwin.id } }), 202);
      assert.deepEqual(await ce.send('GET', 'changedelements/tracking', { query: { iModelId, iTwinId: itwin.id } }), { enabled: false });
    });

    it('storage: root-folder, folder create/info/list/update/delete, file create/upload/complete/info/list/update/update-content/delete', async () => {
      const itwin = await h.itwin();
      const st = await cliAs('alice', 'alice@example.com');
      const root = await st.send('GET', 'storage/', { accept: V1, query: { iTwinId: itwin.id, $top: undefined, $skip: undefined } });
      const rootId = (root._links.folder.href as string).split('/').pop()!;
      const folder = (await st.send('POST', `storage/folders/${rootId}/folders`, { body: { displayName: 'Drawings', description: undefined } })).folder;
      assert.equal((await st.send('GET', `storage/folders/${folder.id}`)).folder.displayName, 'Drawings');
      assert.deepEqual(
        (await st.send('GET', `storage/folders/${rootId}/folders`)).folders.map((f: { id: string }) => f.id),
        [folder.id],
      );
      assert.equal(
        (await st.send('PATCH', `storage/folders/${folder.id}`, { body: { displayName: 'Plans', description: 'Site plans' } })).folder.displayName,
        'Plans',
      );

      // file create → upload URL; the CLI PUTs the bytes there itself, then completes with no body
      const created = await st.send('POST', `storage/folders/${folder.id}/files`, { body: { description: undefined, displayName: 'site.ifc' } });
      const upload = await fetch(created._links.uploadUrl.href, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'ISO-10303-21;' });
      assert.equal(upload.status, 201);
      const completeUrl = (created._links.completeUrl.href as string).slice(`${base}/`.length);
      const file = (await st.send('POST', completeUrl)).file;
      // `imodel populate` reads the file's id at this position of the complete URL.
      assert.equal((created._links.completeUrl.href as string).split('/')[5], file.id);
      assert.equal(file.displayName, 'site.ifc');
      assert.equal(file.size, 13);
      assert.equal((await st.send('GET', `storage/files/${file.id}`)).file.id, file.id);
      assert.deepEqual(
        (await st.send('GET', `storage/folders/${folder.id}/files`)).files.map((f: { id: string }) => f.id),
        [file.id],
      );
      assert.deepEqual(
        (await st.send('GET', `storage/folders/${folder.id}/list`)).items.map((i: { id: string }) => i.id),
        [file.id],
      );
      assert.equal((await st.send('PATCH', `storage/files/${file.id}`, { body: { description: 'v1', displayName: undefined } })).file.description, 'v1');
      const content = await st.send('POST', `storage/files/${file.id}/updatecontent`);
      assert.match(content._links.uploadUrl.href, /^http:\/\/127\.0\.0\.1:/);
      assert.equal(await st.sendNoResponse('DELETE', `storage/files/${file.id}`), 204);
      assert.equal(await st.sendNoResponse('DELETE', `storage/folders/${folder.id}`), 204);
    });
  },
);
