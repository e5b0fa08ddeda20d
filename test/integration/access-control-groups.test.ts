import assert from 'node:assert/strict';
import { it } from 'node:test';
import { connectionFixture, SC } from '../helpers/api.js';
import { registeredClient, type Harness } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';

const V2 = { accept: 'application/vnd.bentley.itwin-platform.v2+json' };
const AC = (id: string) => `/accesscontrol/itwins/${id}`;

/** Requests as the iTwin CLI sends them (v2 media type), as `subject`, whose token carries `email` when given. */
function as(h: Harness, subject: string, email?: string) {
  let token: string | undefined;
  const send = async (method: string, url: string, body?: unknown, headers: Record<string, string> = V2) => {
    token ??= (await h.issuer.issue({ subject, clientId: await registeredClient(h.issuer, subject), scopes: ['itwin-platform'], ...(email ? { email } : {}) }))
      .token;
    const all: Record<string, string> = { authorization: `Bearer ${token}`, ...headers };
    if (body !== undefined) all['content-type'] = 'application/json';
    const res = await h.app.inject({ method: method as 'GET', url, headers: all, payload: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.statusCode, body: res.body, json: () => JSON.parse(res.body) };
  };
  return {
    get: (url: string, headers?: Record<string, string>) => send('GET', url, undefined, headers),
    post: (url: string, body?: unknown, headers?: Record<string, string>) => send('POST', url, body, headers),
    patch: (url: string, body?: unknown) => send('PATCH', url, body),
    delete: (url: string) => send('DELETE', url),
  };
}

onEveryStore('access control v2: groups and groups as members', ({ h }) => {
  const alice = () => as(h, 'alice', 'alice@example.com');

  async function role(itwinId: string, displayName: string, permissions: string[]): Promise<string> {
    const created = await alice().post(`${AC(itwinId)}/roles`, { displayName, description: `${displayName} role` });
    assert.equal(created.status, 201, created.body);
    assert.equal((await alice().patch(`${AC(itwinId)}/roles/${created.json().role.id}`, { permissions })).status, 200);
    return created.json().role.id;
  }

  async function group(itwinId: string, name: string, emails: string[] = []): Promise<string> {
    const created = await alice().post(`${AC(itwinId)}/groups`, { name, description: `${name} group` });
    assert.equal(created.status, 201, created.body);
    const id = created.json().group.id;
    if (emails.length > 0) assert.equal((await alice().patch(`${AC(itwinId)}/groups/${id}`, { members: emails })).status, 200);
    return id;
  }

  it('groups: create, list, get, update (name, description, users by address, IMS groups), delete', async () => {
    const itwin = await h.itwin();
    await as(h, 'bob', 'bob@example.com').get('/users/me');
    const created = await alice().post(`${AC(itwin.id)}/groups`, { name: 'Surveyors', description: 'Field team' });
    assert.equal(created.status, 201, created.body);
    const id = created.json().group.id;
    assert.deepEqual(created.json().group, { id, name: 'Surveyors', description: 'Field team', members: [], imsGroups: [] });

    const updated = await alice().patch(`${AC(itwin.id)}/groups/${id}`, { name: 'Survey', members: ['BOB@example.com'], imsGroups: ['CORP_SURVEY'] });
    assert.equal(updated.status, 200, updated.body);
    assert.deepEqual(updated.json().group, {
      id,
      name: 'Survey',
      description: 'Field team',
      members: [{ userId: 'bob', email: 'bob@example.com', givenName: null, surname: null, organization: null }],
      imsGroups: ['CORP_SURVEY'],
    });
    assert.deepEqual((await alice().get(`${AC(itwin.id)}/groups/${id}`)).json(), updated.json());
    const list = await alice().get(`${AC(itwin.id)}/groups`);
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.json().groups.map((g: { id: string }) => g.id),
      [id],
    );

    assert.equal((await alice().delete(`${AC(itwin.id)}/groups/${id}`)).status, 204);
    const gone = await alice().get(`${AC(itwin.id)}/groups/${id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.json().error.code, 'GroupNotFound');
    assert.deepEqual((await alice().get(`${AC(itwin.id)}/groups`)).json().groups, []);
  });

  it('answers bad group bodies with 422, unknown addresses with 422 changing nothing, unknown groups with 404, non-administrators with 403', async () => {
    const itwin = await h.itwin();
    for (const body of [{}, { name: '', description: 'x' }, { name: 'A' }, { name: 7, description: 'x' }]) {
      const res = await alice().post(`${AC(itwin.id)}/groups`, body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(res.json().error.code, 'InvalidiTwinsGroupRequest');
    }
    const id = await group(itwin.id, 'Team');
    for (const body of [{ members: 'x@example.com' }, { members: ['not an address'] }, { imsGroups: [1] }, { name: '' }]) {
      const res = await alice().patch(`${AC(itwin.id)}/groups/${id}`, body);
      assert.equal(res.status, 422, JSON.stringify(body));
    }
    const unknown = await alice().patch(`${AC(itwin.id)}/groups/${id}`, { name: 'Renamed', members: ['nobody@example.com'] });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.json().error.details[0].target, 'members[0]');
    assert.equal((await alice().get(`${AC(itwin.id)}/groups/${id}`)).json().group.name, 'Team');

    assert.equal((await alice().get(`${AC(itwin.id)}/groups/nope`)).status, 404);
    assert.equal((await alice().patch(`${AC(itwin.id)}/groups/nope`, { name: 'x' })).status, 404);
    assert.equal((await alice().delete(`${AC(itwin.id)}/groups/nope`)).status, 404);
    const member = await alice().post(`${AC(itwin.id)}/members/groups`, { members: [{ groupId: 'nope', roleIds: ['r'] }] });
    assert.equal(member.status, 404);
    assert.equal(member.json().error.code, 'GroupNotFound');
    const badRole = await alice().post(`${AC(itwin.id)}/members/groups`, { members: [{ groupId: id, roleIds: ['no-such-role'] }] });
    assert.equal(badRole.status, 404);
    assert.equal(badRole.json().error.code, 'RoleNotFound');
    assert.deepEqual((await alice().get(`${AC(itwin.id)}/members/groups`)).json().members, []);
    for (const body of [{}, { members: [] }, { members: [{ groupId: id }] }, { members: [{ groupId: id, roleIds: [] }] }]) {
      assert.equal((await alice().post(`${AC(itwin.id)}/members/groups`, body)).status, 422, JSON.stringify(body));
    }
    assert.equal((await alice().get(`${AC(itwin.id)}/members/groups/${id}`)).json().error.code, 'GroupMemberNotFound');
    assert.equal((await alice().delete(`${AC(itwin.id)}/members/groups/${id}`)).status, 404);

    const stranger = as(h, 'stranger', 'stranger@example.com');
    assert.equal((await stranger.get(`${AC(itwin.id)}/groups`)).status, 403);
    assert.equal((await stranger.post(`${AC(itwin.id)}/groups`, { name: 'B', description: '' })).status, 403);
  });

  it('managing groups needs administration_manage_groups, and invite/remove permissions to add or take users and IMS groups', async () => {
    const itwin = await h.itwin();
    assert.ok((await alice().get('/accesscontrol/itwins/permissions')).json().permissions.includes('administration_manage_groups'));
    const pat = as(h, 'pat', 'pat@example.com');
    await pat.get('/users/me');
    await as(h, 'quinn', 'quinn@example.com').get('/users/me');
    const roleAdmin = await role(itwin.id, 'Role admin', ['itwins_read', 'administration_manage_roles']);
    assert.equal((await alice().post(`${AC(itwin.id)}/members/users`, { members: [{ email: 'pat@example.com', roleIds: [roleAdmin] }] })).status, 201);
    // Managing roles is not managing groups.
    const refused = await pat.post(`${AC(itwin.id)}/groups`, { name: 'Crew', description: '' });
    assert.equal(refused.status, 403);
    assert.equal(refused.json().error.code, 'InsufficientPermissions');
    const existing = await group(itwin.id, 'Existing');
    assert.equal((await pat.patch(`${AC(itwin.id)}/groups/${existing}`, { name: 'Mine' })).status, 403);
    assert.equal((await pat.delete(`${AC(itwin.id)}/groups/${existing}`)).status, 403);

    const groupAdmin = await role(itwin.id, 'Group admin', ['itwins_read', 'administration_manage_groups']);
    const setRoles = async (...roleIds: string[]) => assert.equal((await alice().patch(`${AC(itwin.id)}/members/users/pat`, { roleIds })).status, 200);
    await setRoles(groupAdmin);
    const created = await pat.post(`${AC(itwin.id)}/groups`, { name: 'Crew', description: '' });
    assert.equal(created.status, 201, created.body);
    const id = created.json().group.id;
    assert.equal((await pat.patch(`${AC(itwin.id)}/groups/${id}`, { name: 'Crew 2', description: 'renamed' })).status, 200);
    // Users or IMS groups joining need administration_invite_member; nothing is changed without it.
    for (const body of [{ members: ['quinn@example.com'] }, { imsGroups: ['CORP'] }, { name: 'Crew 3', members: ['quinn@example.com'] }]) {
      const res = await pat.patch(`${AC(itwin.id)}/groups/${id}`, body);
      assert.equal(res.status, 403, JSON.stringify(body));
    }
    assert.deepEqual((await pat.get(`${AC(itwin.id)}/groups/${id}`)).json().group, {
      id,
      name: 'Crew 2',
      description: 'renamed',
      members: [],
      imsGroups: [],
    });
    const inviter = await role(itwin.id, 'Inviter', ['administration_invite_member']);
    await setRoles(groupAdmin, inviter);
    assert.equal((await pat.patch(`${AC(itwin.id)}/groups/${id}`, { members: ['quinn@example.com'], imsGroups: ['CORP'] })).status, 200);
    // The same lists again add and take nobody.
    assert.equal((await pat.patch(`${AC(itwin.id)}/groups/${id}`, { members: ['QUINN@example.com'], imsGroups: ['CORP'] })).status, 200);
    // Leaving needs administration_remove_member, even when someone joins in the same request.
    for (const body of [{ members: [] }, { imsGroups: [] }, { members: ['pat@example.com'] }]) {
      assert.equal((await pat.patch(`${AC(itwin.id)}/groups/${id}`, body)).status, 403, JSON.stringify(body));
    }
    const remover = await role(itwin.id, 'Remover', ['administration_remove_member']);
    await setRoles(groupAdmin, inviter, remover);
    const swapped = await pat.patch(`${AC(itwin.id)}/groups/${id}`, { members: ['pat@example.com'], imsGroups: [] });
    assert.equal(swapped.status, 200, swapped.body);
    assert.deepEqual(
      swapped.json().group.members.map((m: { userId: string }) => m.userId),
      ['pat'],
    );
    assert.equal((await pat.delete(`${AC(itwin.id)}/groups/${id}`)).status, 204);
  });

  it('several groups added in one request come back in the order asked, each with its roles', async () => {
    const itwin = await h.itwin();
    const [r1, r2, r3] = [
      await role(itwin.id, 'R1', ['itwins_read']),
      await role(itwin.id, 'R2', ['imodels_read']),
      await role(itwin.id, 'R3', ['storage_read']),
    ];
    const [g1, g2, g3] = [await group(itwin.id, 'G1'), await group(itwin.id, 'G2'), await group(itwin.id, 'G3')];
    const wanted = [
      { groupId: g3, roleIds: [r2, r3] },
      { groupId: g1, roleIds: [r1, r2] },
      { groupId: g2, roleIds: [r1, r3] },
    ];
    const added = await alice().post(`${AC(itwin.id)}/members/groups`, { members: wanted });
    assert.equal(added.status, 201, added.body);
    assert.deepEqual(
      added.json().members.map((m: { id: string; roles: { id: string }[] }) => ({ groupId: m.id, roleIds: m.roles.map((r) => r.id) })),
      wanted,
    );
    // The list is in the order the groups became members (one request: the order asked).
    assert.deepEqual(
      (await alice().get(`${AC(itwin.id)}/members/groups`)).json().members.map((m: { id: string }) => m.id),
      [g3, g1, g2],
    );
    for (const id of [g1, g2, g3]) assert.equal((await alice().delete(`${AC(itwin.id)}/members/groups/${id}`)).status, 204);
    assert.deepEqual((await alice().get(`${AC(itwin.id)}/members/groups`)).json().members, []);
  });

  it('group members: add with roles, list, get, update roles, remove', async () => {
    const itwin = await h.itwin();
    const viewer = await role(itwin.id, 'Viewer', ['itwins_read']);
    const editor = await role(itwin.id, 'Editor', ['itwins_read', 'imodels_write']);
    const id = await group(itwin.id, 'Crew');
    const added = await alice().post(`${AC(itwin.id)}/members/groups`, { members: [{ groupId: id, roleIds: [viewer] }] });
    assert.equal(added.status, 201, added.body);
    assert.deepEqual(added.json().members, [
      { id, groupName: 'Crew', groupDescription: 'Crew group', roles: [{ id: viewer, displayName: 'Viewer', description: 'Viewer role' }] },
    ]);
    // Adding again gives the group the new roles besides its own.
    const again = await alice().post(`${AC(itwin.id)}/members/groups`, { members: [{ groupId: id, roleIds: [editor] }] });
    assert.deepEqual(
      again.json().members[0].roles.map((r: { id: string }) => r.id),
      [viewer, editor],
    );
    const list = await alice().get(`${AC(itwin.id)}/members/groups`);
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.json().members.map((m: { id: string }) => m.id),
      [id],
    );
    const updated = await alice().patch(`${AC(itwin.id)}/members/groups/${id}`, { roleIds: [editor] });
    assert.equal(updated.status, 200, updated.body);
    assert.deepEqual(
      updated.json().member.roles.map((r: { id: string }) => r.id),
      [editor],
    );
    assert.deepEqual((await alice().get(`${AC(itwin.id)}/members/groups/${id}`)).json(), updated.json());
    assert.equal((await alice().delete(`${AC(itwin.id)}/members/groups/${id}`)).status, 204);
    assert.equal((await alice().get(`${AC(itwin.id)}/members/groups/${id}`)).status, 404);
    // The group itself stays.
    assert.equal((await alice().get(`${AC(itwin.id)}/groups/${id}`)).status, 200);
  });

  it('a user only in a group acts with the group’s roles, and loses them when the group, its membership or the user goes', async () => {
    const f = await connectionFixture(h, 2);
    const readOnly = await role(f.itwin.id, 'Viewer', ['itwins_read', 'imodels_read', 'storage_read']);
    const writer = await role(f.itwin.id, 'Synchronizer', ['itwins_read', 'imodels_read', 'imodels_write', 'storage_read']);
    const kim = as(h, 'kim', 'kim@example.com');
    const lee = as(h, 'lee', 'lee@example.com');
    await kim.get('/users/me');
    await lee.get('/users/me');
    const createBody = { iModelId: f.iModelId, sourceFiles: [{ storageFileId: f.fileIds[1], connectorType: 'IFC' }] };

    const writers = await group(f.itwin.id, 'Writers', ['kim@example.com']);
    const readers = await group(f.itwin.id, 'Readers', ['lee@example.com']);
    // In a group that is not a member: not a member of the iTwin.
    assert.equal((await kim.get(`${AC(f.itwin.id)}/permissions`)).status, 403);
    assert.equal(
      (
        await alice().post(`${AC(f.itwin.id)}/members/groups`, {
          members: [
            { groupId: writers, roleIds: [writer] },
            { groupId: readers, roleIds: [readOnly] },
          ],
        })
      ).status,
      201,
    );

    const denied = await lee.post(SC, createBody, {});
    assert.equal(denied.status, 403);
    assert.equal(denied.json().error.code, 'InsufficientPermissions');
    assert.equal((await lee.get(`${SC}/${f.connection.id}`, {})).status, 200);
    const created = await kim.post(SC, createBody, {});
    assert.equal(created.status, 201, created.body);
    assert.deepEqual((await kim.get(`${AC(f.itwin.id)}/permissions`)).json().permissions.sort(), [
      'imodels_read',
      'imodels_write',
      'itwins_read',
      'storage_read',
    ]);
    // A member through a group is shown through its group, not among the user members.
    const users = (await alice().get(`${AC(f.itwin.id)}/members/users`)).json().members.map((m: { id: string }) => m.id);
    assert.ok(!users.includes('kim'));

    // Taking kim out of the group takes the permission away at once.
    assert.equal((await alice().patch(`${AC(f.itwin.id)}/groups/${writers}`, { members: [] })).status, 200);
    assert.equal((await kim.get(`${AC(f.itwin.id)}/permissions`)).status, 403);
    assert.notEqual((await kim.get(`${SC}/${f.connection.id}`, {})).status, 200);
    // Back in; then the group's membership is removed.
    assert.equal((await alice().patch(`${AC(f.itwin.id)}/groups/${writers}`, { members: ['kim@example.com'] })).status, 200);
    assert.equal((await kim.get(`${AC(f.itwin.id)}/permissions`)).status, 200);
    assert.equal((await alice().delete(`${AC(f.itwin.id)}/members/groups/${writers}`)).status, 204);
    assert.equal((await kim.get(`${AC(f.itwin.id)}/permissions`)).status, 403);
    // Changing the role of a member group changes its users' permissions.
    const run = `${SC}/${f.connection.id}/run`;
    assert.equal((await lee.post(run, undefined, {})).status, 403);
    assert.equal((await alice().patch(`${AC(f.itwin.id)}/members/groups/${readers}`, { roleIds: [writer] })).status, 200);
    assert.equal((await lee.post(run, undefined, {})).status, 202);
    // Deleting the role takes it from the group's users too.
    assert.equal((await alice().delete(`${AC(f.itwin.id)}/roles/${writer}`)).status, 204);
    assert.equal((await lee.post(SC, createBody, {})).status, 403);
    // Deleting the group takes the membership away.
    assert.equal((await alice().patch(`${AC(f.itwin.id)}/members/groups/${readers}`, { roleIds: [readOnly] })).status, 200);
    assert.equal((await lee.get(`${SC}/${f.connection.id}`, {})).status, 200);
    assert.equal((await alice().delete(`${AC(f.itwin.id)}/groups/${readers}`)).status, 204);
    assert.equal((await lee.get(`${AC(f.itwin.id)}/permissions`)).status, 403);
  });

  it('a direct member also in a group keeps its own roles when the group goes, and the group’s when removed directly', async () => {
    const itwin = await h.itwin();
    const viewer = await role(itwin.id, 'Viewer', ['itwins_read']);
    const writer = await role(itwin.id, 'Writer', ['itwins_read', 'imodels_write']);
    const mo = as(h, 'mo', 'mo@example.com');
    await mo.get('/users/me');
    const crew = await group(itwin.id, 'Crew', ['mo@example.com']);
    assert.equal((await alice().post(`${AC(itwin.id)}/members/groups`, { members: [{ groupId: crew, roleIds: [writer] }] })).status, 201);
    assert.equal((await alice().post(`${AC(itwin.id)}/members/users`, { members: [{ email: 'mo@example.com', roleIds: [viewer] }] })).status, 201);
    assert.deepEqual((await mo.get(`${AC(itwin.id)}/permissions`)).json().permissions.sort(), ['imodels_write', 'itwins_read']);
    assert.equal((await alice().get(`${AC(itwin.id)}/members/users/mo`)).status, 200);
    // Removed as a user member, mo stays a member through the group, with its roles only.
    assert.equal((await alice().delete(`${AC(itwin.id)}/members/users/mo`)).status, 204);
    assert.equal((await alice().get(`${AC(itwin.id)}/members/users/mo`)).status, 404);
    assert.deepEqual((await mo.get(`${AC(itwin.id)}/permissions`)).json().permissions.sort(), ['imodels_write', 'itwins_read']);
    assert.equal((await alice().post(`${AC(itwin.id)}/members/users`, { members: [{ email: 'mo@example.com', roleIds: [viewer] }] })).status, 201);
    assert.equal((await alice().delete(`${AC(itwin.id)}/groups/${crew}`)).status, 204);
    assert.deepEqual((await mo.get(`${AC(itwin.id)}/permissions`)).json().permissions, ['itwins_read']);
    assert.equal((await alice().get(`${AC(itwin.id)}/members/users/mo`)).status, 200);
  });
});
