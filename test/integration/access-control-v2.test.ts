import assert from 'node:assert/strict';
import { it } from 'node:test';
import { connectionFixture, SC } from '../helpers/api.js';
import { PUBLIC_URL, registeredClient, type Harness } from '../helpers/harness.js';
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
    return { status: res.statusCode, headers: res.headers, body: res.body, json: () => JSON.parse(res.body) };
  };
  return {
    get: (url: string, headers?: Record<string, string>) => send('GET', url, undefined, headers),
    post: (url: string, body?: unknown, headers?: Record<string, string>) => send('POST', url, body, headers),
    patch: (url: string, body?: unknown) => send('PATCH', url, body),
    delete: (url: string) => send('DELETE', url),
  };
}

onEveryStore('access control v2: members, owners, roles, permissions, invitations', ({ h }) => {
  const alice = () => as(h, 'alice', 'alice@example.com');

  async function role(itwinId: string, displayName: string, permissions: string[]): Promise<string> {
    const created = await alice().post(`${AC(itwinId)}/roles`, { displayName, description: `${displayName} role` });
    assert.equal(created.status, 201, created.body);
    const updated = await alice().patch(`${AC(itwinId)}/roles/${created.json().role.id}`, { permissions });
    assert.equal(updated.status, 200, updated.body);
    return created.json().role.id;
  }

  it('serves /members/users, /owners and /invitations with the v2 media type beside the older /members/{memberId}', async () => {
    const itwin = await h.itwin();
    for (const path of ['users', 'owners', 'invitations']) {
      const res = await alice().get(`${AC(itwin.id)}/members/${path}`);
      assert.equal(res.status, 200, `${path}: ${res.body}`);
    }
    // The older API keeps working over the same rows, with its media type.
    const old = await alice().get(`${AC(itwin.id)}/members`, {});
    assert.equal(old.status, 200);
    assert.deepEqual(
      old.json().members.map((m: { id: string }) => m.id),
      ['alice'],
    );
    assert.equal((await alice().get(`${AC(itwin.id)}/members/alice`, {})).status, 200);
    // Another version is still refused.
    const v3 = await alice().get(`${AC(itwin.id)}/members/users`, { accept: 'application/vnd.bentley.itwin-platform.v3+json' });
    assert.equal(v3.status, 406);
  });

  it('adds known users by address with roles and invites unknown addresses; an invitation becomes a membership on first sight', async () => {
    const itwin = await h.itwin();
    const reader = await role(itwin.id, 'Reader', ['itwins_read', 'imodels_read']);
    const bob = as(h, 'bob', 'bob@example.com');
    assert.equal((await bob.get('/users/me')).status, 200); // bob is now known by his address
    const added = await alice().post(`${AC(itwin.id)}/members/users`, {
      members: [
        { email: 'BOB@example.com', roleIds: [reader] },
        { email: 'carol@example.com', roleIds: [reader] },
      ],
      customMessage: 'welcome',
    });
    assert.equal(added.status, 201, added.body);
    assert.deepEqual(added.json().members, [
      {
        id: 'bob',
        email: 'bob@example.com',
        givenName: null,
        surname: null,
        organization: null,
        roles: [{ id: reader, displayName: 'Reader', description: 'Reader role' }],
      },
    ]);
    const [invitation] = added.json().invitations;
    assert.equal(invitation.email, 'carol@example.com');
    assert.equal(invitation.status, 'Pending');
    assert.equal(invitation.invitedByEmail, 'alice@example.com');
    assert.deepEqual(
      invitation.roles.map((r: { id: string }) => r.id),
      [reader],
    );
    assert.ok(invitation.expirationDate > invitation.createdDate);

    const listed = await alice().get(`${AC(itwin.id)}/members/invitations`);
    assert.deepEqual(
      listed.json().invitations.map((i: { email: string }) => i.email),
      ['carol@example.com'],
    );
    assert.equal(listed.json()._links.self.href, `${PUBLIC_URL}${AC(itwin.id)}/members/invitations?$skip=0&$top=1000`);
    // bob sees the iTwin now; carol does once she authenticates with the invited address.
    assert.equal((await bob.get(`/itwins/${itwin.id}`, {})).status, 200);
    const carol = as(h, 'carol', 'carol@example.com');
    assert.equal((await carol.get('/users/me')).status, 200);
    assert.equal((await carol.get(`/itwins/${itwin.id}`, {})).status, 200);
    assert.deepEqual((await alice().get(`${AC(itwin.id)}/members/invitations`)).json().invitations, []);

    const users = await alice().get(`${AC(itwin.id)}/members/users`);
    assert.deepEqual(
      users.json().members.map((m: { id: string }) => m.id),
      ['bob', 'carol'],
    );
    const one = await alice().get(`${AC(itwin.id)}/members/users/bob`);
    assert.equal(one.status, 200);
    assert.equal(one.json().member.roles[0].displayName, 'Reader');
    // The owner without roles is an owner, not a user member.
    assert.equal((await alice().get(`${AC(itwin.id)}/members/users/alice`)).json().error.code, 'iTwinMemberNotFound');
  });

  it('whoever creates an iTwin through the iTwins API is its owner, with every permission', async () => {
    const olga = as(h, 'olga', 'olga@example.com');
    const created = await olga.post('/itwins', { displayName: 'Olga’s', class: 'Endeavor', subClass: 'Project' }, {});
    assert.equal(created.status, 201, created.body);
    const id = created.json().iTwin.id;
    assert.deepEqual((await olga.get(`${AC(id)}/members/owners`)).json().members, [
      { id: 'olga', email: 'olga@example.com', givenName: null, surname: null, organization: null },
    ]);
    const all = (await olga.get('/accesscontrol/itwins/permissions')).json().permissions;
    assert.deepEqual((await olga.get(`${AC(id)}/permissions`)).json().permissions, all);
    assert.equal((await olga.delete(`${AC(id)}/members/owners/olga`)).json().error.code, 'CannotRemoveLastOwner');
  });

  it('invitations: an owner sees them all, another member those it sent; they last 7 days; a bad page is InvalidiTwinsMemberInvitationsRequest', async () => {
    const itwin = await h.itwin();
    const inviter = await role(itwin.id, 'Inviter', ['itwins_read', 'administration_invite_member']);
    const reader = await role(itwin.id, 'Reader', ['itwins_read']);
    for (const [subject, roleId] of [
      ['pia', inviter],
      ['rex', reader],
    ] as const) {
      await as(h, subject, `${subject}@example.com`).get('/users/me');
      assert.equal((await alice().post(`${AC(itwin.id)}/members/users`, { members: [{ email: `${subject}@example.com`, roleIds: [roleId] }] })).status, 201);
    }
    const pia = as(h, 'pia', 'pia@example.com');
    const byAlice = await alice().post(`${AC(itwin.id)}/members/users`, { members: [{ email: 'from-alice@example.com', roleIds: [reader] }] });
    const byPia = await pia.post(`${AC(itwin.id)}/members/users`, { members: [{ email: 'from-pia@example.com', roleIds: [reader] }] });
    assert.equal(byPia.status, 201, byPia.body);
    const invitation = byPia.json().invitations[0];
    assert.equal(Date.parse(invitation.expirationDate) - Date.parse(invitation.createdDate), 7 * 86_400_000);
    assert.equal(byAlice.json().invitations[0].email, 'from-alice@example.com');

    const emails = async (who: ReturnType<typeof as>) =>
      (await who.get(`${AC(itwin.id)}/members/invitations`)).json().invitations.map((i: { email: string }) => i.email);
    assert.deepEqual(await emails(alice()), ['from-alice@example.com', 'from-pia@example.com']);
    assert.deepEqual(await emails(pia), ['from-pia@example.com']);
    // A member who may invite nobody sees none, and asking is no mistake.
    assert.deepEqual(await emails(as(h, 'rex', 'rex@example.com')), []);
    assert.equal((await as(h, 'stranger').get(`${AC(itwin.id)}/members/invitations`)).status, 403);
    const bad = await alice().get(`${AC(itwin.id)}/members/invitations?$top=0`);
    assert.equal(bad.status, 422);
    assert.equal(bad.json().error.code, 'InvalidiTwinsMemberInvitationsRequest');
    assert.equal(bad.json().error.details[0].target, '$top');
  });

  it('invitations: expired ones are left out before paging, so every page but the last is full', async () => {
    const itwin = await h.itwin();
    const reader = await role(itwin.id, 'Reader', ['itwins_read']);
    // Pending invitations through the API, and expired ones stored between them (the API makes
    // none that are already expired; the store is the real one).
    const pending: string[] = [];
    for (let i = 0; i < 5; i++) {
      const email = `pending${i}@example.com`;
      assert.equal((await alice().post(`${AC(itwin.id)}/members/users`, { members: [{ email, roleIds: [reader] }] })).status, 201);
      pending.push(email);
      for (let j = 0; j < 2; j++) {
        const createdAt = new Date(Date.now() - 40 * 86_400_000).toISOString();
        await h.store.itwins.insertInvitation({
          id: `expired-${i}-${j}-${itwin.id}`,
          iTwinId: itwin.id,
          email: `expired${i}${j}@example.com`,
          roleIds: [reader],
          owner: false,
          invitedBy: 'alice',
          createdAt,
          expiresAt: new Date(Date.now() - 10 * 86_400_000).toISOString(),
        });
      }
    }
    const seen: string[] = [];
    let url: string | undefined = `${AC(itwin.id)}/members/invitations?$top=2`;
    const sizes: number[] = [];
    while (url) {
      const page = await alice().get(url);
      assert.equal(page.status, 200, page.body);
      const emails = page.json().invitations.map((i: { email: string }) => i.email);
      sizes.push(emails.length);
      seen.push(...emails);
      const next: string | undefined = page.json()._links.next?.href;
      url = next?.slice(PUBLIC_URL.length);
    }
    assert.deepEqual(seen, pending);
    assert.deepEqual(sizes, [2, 2, 1]);
    // $skip counts pending invitations only.
    const skipped = await alice().get(`${AC(itwin.id)}/members/invitations?$skip=3&$top=10`);
    assert.deepEqual(
      skipped.json().invitations.map((i: { email: string }) => i.email),
      pending.slice(3),
    );
    assert.equal(skipped.json()._links.next, undefined);
  });

  it('answers bad add and update bodies with 422, unknown roles with 404, and non-administrators with 403, adding nobody', async () => {
    const itwin = await h.itwin();
    const reader = await role(itwin.id, 'Reader', ['itwins_read']);
    for (const body of [
      {},
      { members: [] },
      { members: [{ email: 'not-an-address', roleIds: [reader] }] },
      { members: [{ email: 'x@example.com', roleIds: [] }] },
      { members: [{ email: 'x@example.com' }] },
    ]) {
      const res = await alice().post(`${AC(itwin.id)}/members/users`, body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(res.json().error.code, 'InvalidiTwinsMemberRequest');
    }
    const tooMany = await alice().post(`${AC(itwin.id)}/members/users`, {
      members: Array.from({ length: 51 }, (_, i) => ({ email: `u${i}@example.com`, roleIds: [reader] })),
    });
    assert.equal(tooMany.status, 422);
    const unknownRole = await alice().post(`${AC(itwin.id)}/members/users`, {
      members: [{ email: 'x@example.com', roleIds: ['00000000-0000-4000-8000-000000000000'] }],
    });
    assert.equal(unknownRole.status, 404);
    assert.equal(unknownRole.json().error.code, 'RoleNotFound');
    assert.deepEqual((await alice().get(`${AC(itwin.id)}/members/invitations`)).json().invitations, []);

    await as(h, 'dave', 'dave@example.com').get('/users/me');
    assert.equal((await alice().post(`${AC(itwin.id)}/members/users`, { members: [{ email: 'dave@example.com', roleIds: [reader] }] })).status, 201);
    const dave = as(h, 'dave', 'dave@example.com');
    const forbidden = await dave.post(`${AC(itwin.id)}/members/users`, { members: [{ email: 'eve@example.com', roleIds: [reader] }] });
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.json().error.code, 'InsufficientPermissions');
    assert.equal((await alice().patch(`${AC(itwin.id)}/members/users/dave`, { roleIds: [] })).status, 422);
    assert.equal((await alice().patch(`${AC(itwin.id)}/members/users/dave`, {})).status, 422);
    assert.equal((await alice().patch(`${AC(itwin.id)}/members/users/nobody`, { roleIds: [reader] })).status, 404);
    assert.equal((await alice().get(`${AC('00000000-0000-4000-8000-000000000000')}/members/users`)).json().error.code, 'iTwinNotFound');
    assert.equal((await as(h, 'stranger').get(`${AC(itwin.id)}/members/users`)).status, 403);
  });

  it('a member added through v2 with a role lacking imodels_write cannot create a connection or run one until the role allows it', async () => {
    const f = await connectionFixture(h, 2);
    const readOnly = await role(f.itwin.id, 'Viewer', ['itwins_read', 'imodels_read', 'storage_read']);
    const writer = await role(f.itwin.id, 'Synchronizer', ['itwins_read', 'imodels_read', 'imodels_write', 'storage_read']);
    const frank = as(h, 'frank', 'frank@example.com');
    await frank.get('/users/me');
    assert.equal((await alice().post(`${AC(f.itwin.id)}/members/users`, { members: [{ email: 'frank@example.com', roleIds: [readOnly] }] })).status, 201);
    const createBody = { iModelId: f.iModelId, sourceFiles: [{ storageFileId: f.fileIds[1], connectorType: 'IFC' }] };
    assert.equal((await frank.get(`${SC}/${f.connection.id}`, {})).status, 200);
    const create = await frank.post(SC, createBody, {});
    assert.equal(create.status, 403);
    assert.equal(create.json().error.code, 'InsufficientPermissions');
    assert.equal((await frank.post(`${SC}/${f.connection.id}/run`, undefined, {})).status, 403);
    const mine = await frank.get(`${AC(f.itwin.id)}/permissions`);
    assert.deepEqual(mine.json().permissions.sort(), ['imodels_read', 'itwins_read', 'storage_read']);

    const updated = await alice().patch(`${AC(f.itwin.id)}/members/users/frank`, { roleIds: [writer] });
    assert.equal(updated.status, 200, updated.body);
    assert.deepEqual(
      updated.json().member.roles.map((r: { id: string }) => r.id),
      [writer],
    );
    assert.equal((await frank.post(`${SC}/${f.connection.id}/run`, undefined, {})).status, 202);
    assert.equal((await frank.post(SC, createBody, {})).status, 201);
  });

  it('roles: create, list, get, update with permissions, delete; names unique; unknown permissions refused', async () => {
    const itwin = await h.itwin();
    const created = await alice().post(`${AC(itwin.id)}/roles`, { displayName: 'Editors', description: '' });
    assert.equal(created.status, 201, created.body);
    const id = created.json().role.id;
    assert.deepEqual(created.json().role, { id, displayName: 'Editors', description: '', permissions: [] });
    assert.equal((await alice().post(`${AC(itwin.id)}/roles`, { displayName: 'Editors', description: 'again' })).json().error.code, 'RoleAlreadyExists');
    for (const body of [{}, { displayName: 'x' }, { description: 'x' }, { displayName: 7, description: 'x' }]) {
      const res = await alice().post(`${AC(itwin.id)}/roles`, body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(res.json().error.code, 'InvalidiTwinsRoleRequest');
    }
    const bad = await alice().patch(`${AC(itwin.id)}/roles/${id}`, { permissions: ['imodels_write', 'fly'] });
    assert.equal(bad.status, 422);
    assert.equal(bad.json().error.details[0].target, 'permissions');
    const updated = await alice().patch(`${AC(itwin.id)}/roles/${id}`, { displayName: 'Writers', permissions: ['imodels_write', 'imodels_read'] });
    assert.equal(updated.status, 200);
    assert.deepEqual(updated.json().role, { id, displayName: 'Writers', description: '', permissions: ['imodels_write', 'imodels_read'] });
    assert.deepEqual((await alice().get(`${AC(itwin.id)}/roles`)).json().roles, [updated.json().role]);
    assert.deepEqual((await alice().get(`${AC(itwin.id)}/roles/${id}`)).json().role, updated.json().role);
    const del = await alice().delete(`${AC(itwin.id)}/roles/${id}`);
    assert.equal(del.status, 204);
    assert.equal(del.headers['content-type'], undefined);
    const gone = await alice().get(`${AC(itwin.id)}/roles/${id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.json().error.code, 'RoleNotFound');
    assert.equal((await alice().delete(`${AC(itwin.id)}/roles/${id}`)).status, 404);
  });

  it('reading roles needs administration_manage_roles, as the platform documents; a member sees its own in its membership', async () => {
    const itwin = await h.itwin();
    const reader = await role(itwin.id, 'Reader', ['itwins_read']);
    const roleAdmin = await role(itwin.id, 'Role admin', ['itwins_read', 'administration_manage_roles']);
    const sal = as(h, 'sal', 'sal@example.com');
    await sal.get('/users/me');
    assert.equal((await alice().post(`${AC(itwin.id)}/members/users`, { members: [{ email: 'sal@example.com', roleIds: [reader] }] })).status, 201);
    for (const url of [`${AC(itwin.id)}/roles`, `${AC(itwin.id)}/roles/${reader}`]) {
      const res = await sal.get(url);
      assert.equal(res.status, 403, url);
      assert.equal(res.json().error.code, 'InsufficientPermissions');
    }
    assert.deepEqual(
      (await sal.get(`${AC(itwin.id)}/members/users/sal`)).json().member.roles.map((r: { id: string }) => r.id),
      [reader],
    );
    assert.equal((await alice().patch(`${AC(itwin.id)}/members/users/sal`, { roleIds: [reader, roleAdmin] })).status, 200);
    assert.deepEqual(
      (await sal.get(`${AC(itwin.id)}/roles`)).json().roles.map((r: { id: string }) => r.id),
      [reader, roleAdmin],
    );
    assert.equal((await sal.get(`${AC(itwin.id)}/roles/${reader}`)).json().role.displayName, 'Reader');
  });

  it('owners: add by address (or invite), list, remove; only owners may; the last owner stays (409)', async () => {
    const itwin = await h.itwin();
    const last = await alice().delete(`${AC(itwin.id)}/members/owners/alice`);
    assert.equal(last.status, 409);
    assert.equal(last.json().error.code, 'CannotRemoveLastOwner');

    const gina = as(h, 'gina', 'gina@example.com');
    await gina.get('/users/me');
    const added = await alice().post(`${AC(itwin.id)}/members/owners`, { email: 'gina@example.com' });
    assert.equal(added.status, 201, added.body);
    assert.deepEqual(added.json(), { member: { id: 'gina', email: 'gina@example.com', givenName: null, surname: null, organization: null }, invitation: null });
    assert.equal((await alice().post(`${AC(itwin.id)}/members/owners`, { email: 'gina@example.com' })).json().error.code, 'iTwinMemberAlreadyExists');
    const invited = await alice().post(`${AC(itwin.id)}/members/owners`, { email: 'henry@example.com' });
    assert.equal(invited.status, 201);
    assert.equal(invited.json().member, null);
    assert.equal(invited.json().invitation.email, 'henry@example.com');
    assert.equal((await alice().post(`${AC(itwin.id)}/members/owners`, { email: 'nope' })).status, 422);

    const owners = await gina.get(`${AC(itwin.id)}/members/owners`);
    assert.deepEqual(
      owners.json().members.map((m: { id: string }) => m.id),
      ['alice', 'gina'],
    );
    // A member that is not an owner may not touch owners.
    const reader = await role(itwin.id, 'Reader', ['itwins_read', 'administration_invite_member']);
    await as(h, 'ivan', 'ivan@example.com').get('/users/me');
    await alice().post(`${AC(itwin.id)}/members/users`, { members: [{ email: 'ivan@example.com', roleIds: [reader] }] });
    const ivan = as(h, 'ivan', 'ivan@example.com');
    assert.equal((await ivan.post(`${AC(itwin.id)}/members/owners`, { email: 'ivan@example.com' })).status, 403);
    assert.equal((await ivan.delete(`${AC(itwin.id)}/members/owners/gina`)).status, 403);

    assert.equal((await gina.delete(`${AC(itwin.id)}/members/owners/alice`)).status, 204);
    assert.equal((await alice().get(`/itwins/${itwin.id}`, {})).status, 403);
    assert.equal((await gina.delete(`${AC(itwin.id)}/members/owners/gina`)).json().error.code, 'CannotRemoveLastOwner');
    assert.equal((await gina.delete(`${AC(itwin.id)}/members/owners/ivan`)).status, 404);
  });

  it('removing a user member: an owner keeps ownership, others leave; members may leave themselves', async () => {
    const itwin = await h.itwin();
    const reader = await role(itwin.id, 'Reader', ['itwins_read']);
    await as(h, 'jack', 'jack@example.com').get('/users/me');
    await alice().post(`${AC(itwin.id)}/members/users`, {
      members: [
        { email: 'jack@example.com', roleIds: [reader] },
        { email: 'alice@example.com', roleIds: [reader] },
      ],
    });
    // alice is an owner holding a role: removing her as a user member takes the role only.
    assert.equal((await alice().delete(`${AC(itwin.id)}/members/users/alice`)).status, 204);
    assert.deepEqual(
      (await alice().get(`${AC(itwin.id)}/members/owners`)).json().members.map((m: { id: string }) => m.id),
      ['alice'],
    );
    const jack = as(h, 'jack', 'jack@example.com');
    assert.equal((await jack.delete(`${AC(itwin.id)}/members/users/alice`)).status, 403);
    assert.equal((await jack.delete(`${AC(itwin.id)}/members/users/jack`)).status, 204);
    assert.equal((await jack.get(`/itwins/${itwin.id}`, {})).status, 403);
    assert.equal((await alice().delete(`${AC(itwin.id)}/members/users/jack`)).status, 404);
  });

  it('permissions: all of them, and mine (owners: all; non-members: 403)', async () => {
    const itwin = await h.itwin();
    const all = await alice().get('/accesscontrol/itwins/permissions');
    assert.equal(all.status, 200);
    assert.ok(all.json().permissions.includes('imodels_write'));
    assert.ok(all.json().permissions.includes('administration_manage_roles'));
    assert.deepEqual((await alice().get(`${AC(itwin.id)}/permissions`)).json().permissions, all.json().permissions);
    assert.equal((await as(h, 'stranger').get(`${AC(itwin.id)}/permissions`)).status, 403);
    assert.equal((await alice().get(`${AC('00000000-0000-4000-8000-000000000000')}/permissions`)).status, 404);
  });
});

onEveryStore('users API', ({ h }) => {
  it("GET /users/me: the address of the token; a built-in client without one has the issuer's own", async () => {
    const me = await as(h, 'kate', 'Kate@example.com').get('/users/me');
    assert.equal(me.status, 200);
    assert.equal(me.json().user.id, 'kate');
    assert.equal(me.json().user.email, 'Kate@example.com');
    assert.equal(me.json().user.displayName, 'Kate@example.com');
    // Later without the claim: the address seen before.
    assert.equal((await as(h, 'kate').get('/users/me')).json().user.email, 'Kate@example.com');
    const client = await as(h, 'service-principal').get('/users/me');
    assert.equal(client.json().user.email, 'service-principal@clients.twinsync.localhost');
    assert.equal(client.json().user.displayName, 'service-principal@clients.twinsync.localhost');
    // A subject that cannot be a local part as it is (case, characters) gets a hash of it: never another's.
    const upper = (await as(h, 'Service Principal').get('/users/me')).json().user.email;
    assert.match(upper, /^sub-[0-9a-f]{32}@clients\.twinsync\.localhost$/);
    assert.notEqual((await as(h, 'service principal').get('/users/me')).json().user.email, upper);
  });

  it('POST /users/getbyidlist: the known users among the ids; a body that is not an array of ids is a 422', async () => {
    await as(h, 'liam', 'liam@example.com').get('/users/me');
    await as(h, 'mia').get('/users/me');
    const res = await as(h, 'liam', 'liam@example.com').post('/users/getbyidlist', ['mia', 'liam', 'nobody']);
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(
      res.json().users.map((u: { id: string; email: string | null }) => [u.id, u.email]),
      [
        ['mia', 'mia@clients.twinsync.localhost'],
        ['liam', 'liam@example.com'],
      ],
    );
    for (const body of [{ ids: ['liam'] }, [], [7], 'liam']) {
      const bad = await as(h, 'liam').post('/users/getbyidlist', body);
      assert.equal(bad.status, 422, JSON.stringify(body));
      assert.equal(bad.json().error.code, 'InvalidUsersRequest');
    }
  });

  it('GET /users/?$search=: by id or address, 3 to 200 characters', async () => {
    await as(h, 'noah', 'noah@search.example').get('/users/me');
    await as(h, 'olivia', 'olivia@search.example').get('/users/me');
    const found = await as(h, 'noah').get('/users/?$search=SEARCH.example');
    assert.equal(found.status, 200, found.body);
    assert.deepEqual(
      found.json().users.map((u: { id: string }) => u.id),
      ['noah', 'olivia'],
    );
    assert.deepEqual(
      (await as(h, 'noah').get('/users/?$search=olivia')).json().users.map((u: { id: string }) => u.id),
      ['olivia'],
    );
    for (const query of ['', '?$search=ab', `?$search=${'x'.repeat(201)}`]) {
      const bad = await as(h, 'noah').get(`/users/${query}`);
      assert.equal(bad.status, 422, query);
      assert.equal(bad.json().error.code, 'InvalidUsersRequest');
    }
  });
});
