import assert from 'node:assert/strict';
import { it } from 'node:test';
import { call, connectionFixture, SC } from '../helpers/api.js';
import { onEveryStore } from '../helpers/on-every-store.js';

/** Roles are enforced: a member may do what its roles' permissions allow, owners everything. */
onEveryStore('access control: permissions are enforced', ({ h }) => {
  const role = (iTwinId: string, permissions: string[]) => ({
    id: crypto.randomUUID(),
    iTwinId,
    displayName: `role ${permissions.join(' ')}`,
    description: '',
    permissions: permissions as never,
    createdAt: new Date().toISOString(),
  });

  async function memberWith(iTwinId: string, subject: string, permissions: string[]) {
    await h.store.itwins.addMember({ iTwinId, userId: subject, createdAt: new Date().toISOString(), owner: false });
    const r = role(iTwinId, permissions);
    await h.store.itwins.insertRole(r);
    await h.store.itwins.setMemberRoles(iTwinId, subject, [r.id]);
    return r;
  }

  it('a reader sees the connection but cannot create, update, run or delete one; the owner can', async () => {
    const f = await connectionFixture(h, 2);
    await memberWith(f.itwin.id, 'reader', ['imodels_read']);
    assert.equal((await call(h, 'GET', `${SC}/${f.connection.id}`, { subject: 'reader' })).statusCode, 200);
    const create = await call(h, 'POST', SC, {
      subject: 'reader',
      body: { iModelId: f.iModelId, sourceFiles: [{ storageFileId: f.fileIds[1], connectorType: 'IFC' }] },
    });
    assert.equal(create.statusCode, 403);
    assert.equal(create.json().error.code, 'InsufficientPermissions');
    assert.equal((await call(h, 'POST', `${SC}/${f.connection.id}/run`, { subject: 'reader' })).statusCode, 403);
    assert.equal((await call(h, 'PUT', `${SC}/${f.connection.id}`, { subject: 'reader', body: { displayName: 'x' } })).statusCode, 403);
    assert.equal((await call(h, 'DELETE', `${SC}/${f.connection.id}`, { subject: 'reader' })).statusCode, 403);
    // The owner (alice, the creator) still can.
    assert.equal((await call(h, 'POST', `${SC}/${f.connection.id}/run`)).statusCode, 202);
  });

  it('imodels_write is what synchronization needs; without imodels_read nothing is seen', async () => {
    const f = await connectionFixture(h, 2);
    await memberWith(f.itwin.id, 'writer', ['imodels_read', 'imodels_write']);
    await memberWith(f.itwin.id, 'storage-only', ['storage_read']);
    const create = await call(h, 'POST', SC, {
      subject: 'writer',
      body: { iModelId: f.iModelId, sourceFiles: [{ storageFileId: f.fileIds[1], connectorType: 'IFC' }] },
    });
    assert.equal(create.statusCode, 201);
    assert.equal((await call(h, 'GET', `${SC}/${f.connection.id}`, { subject: 'storage-only' })).statusCode, 403);
  });

  it('a role’s permissions changed or the role deleted takes effect at once', async () => {
    const f = await connectionFixture(h, 2);
    const r = await memberWith(f.itwin.id, 'changing', ['imodels_read']);
    assert.equal((await call(h, 'GET', `${SC}/${f.connection.id}`, { subject: 'changing' })).statusCode, 200);
    await h.store.itwins.updateRole({ ...r, permissions: ['storage_read'] as never });
    assert.equal((await call(h, 'GET', `${SC}/${f.connection.id}`, { subject: 'changing' })).statusCode, 403);
    await h.store.itwins.updateRole({ ...r, permissions: ['imodels_read'] as never });
    assert.equal((await call(h, 'GET', `${SC}/${f.connection.id}`, { subject: 'changing' })).statusCode, 200);
    await h.store.itwins.deleteRole(f.itwin.id, r.id);
    assert.equal((await call(h, 'GET', `${SC}/${f.connection.id}`, { subject: 'changing' })).statusCode, 403);
  });

  it('the last owner cannot be removed (409 CannotRemoveLastOwner)', async () => {
    const f = await connectionFixture(h, 1);
    await memberWith(f.itwin.id, 'helper', ['imodels_read']);
    const res = await call(h, 'DELETE', `/accesscontrol/itwins/${f.itwin.id}/members/alice`);
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'CannotRemoveLastOwner');
  });
});
