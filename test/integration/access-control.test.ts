import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { clientFor, newITwin } from '../helpers/platform.js';

onEveryStore('access control: iTwin members', ({ h, client }) => {
  const alice = client('alice');
  const bob = client('bob');

  const ids = (res: { json(): any }) => res.json().members.map((m: { id: string }) => m.id);

  it('adds members by sub (platform shape and shorthand); a new member sees the iTwin', async () => {
    const itwin = await newITwin(alice);
    assert.equal((await bob.get(`/itwins/${itwin.id}`)).status, 403);
    const added = await alice.post(`/accesscontrol/itwins/${itwin.id}/members`, { members: [{ userId: 'bob', roleIds: ['ignored'] }, { userId: 'carol' }] });
    assert.equal(added.status, 201);
    assert.deepEqual(ids(added), ['bob', 'carol']);
    assert.equal(added.json().members[0].userId, 'bob');
    const shorthand = await alice.post(`/accesscontrol/itwins/${itwin.id}/members`, { userId: 'dave' });
    assert.equal(shorthand.status, 201);
    assert.deepEqual(ids(shorthand), ['dave']);
    assert.equal((await bob.get(`/itwins/${itwin.id}`)).status, 200);
    assert.deepEqual(
      (await bob.get('/itwins'))
        .json()
        .iTwins.map((t: { id: string }) => t.id)
        .includes(itwin.id),
      true,
    );
  });

  it('lists members oldest first with paging links, and gets one member', async () => {
    const itwin = await newITwin(alice);
    await alice.post(`/accesscontrol/itwins/${itwin.id}/members`, { userId: 'bob' });
    const list = await alice.get(`/accesscontrol/itwins/${itwin.id}/members?$top=1`);
    assert.equal(list.status, 200);
    assert.deepEqual(ids(list), ['alice']);
    assert.equal(list.json()._links.next.href, `${PUBLIC_URL}/accesscontrol/itwins/${itwin.id}/members?$skip=1&$top=1`);
    const one = await bob.get(`/accesscontrol/itwins/${itwin.id}/members/alice`);
    assert.equal(one.status, 200);
    assert.equal(one.json().member.id, 'alice');
    const missing = await alice.get(`/accesscontrol/itwins/${itwin.id}/members/nobody`);
    assert.equal(missing.status, 404);
    assert.equal(missing.json().error.code, 'iTwinMemberNotFound');
  });

  it('lets only members see or change membership', async () => {
    const itwin = await newITwin(alice);
    const add = await bob.post(`/accesscontrol/itwins/${itwin.id}/members`, { userId: 'bob' });
    assert.equal(add.status, 403);
    assert.equal(add.json().error.code, 'InsufficientPermissions');
    assert.equal((await bob.get(`/accesscontrol/itwins/${itwin.id}/members`)).status, 403);
    assert.equal((await bob.delete(`/accesscontrol/itwins/${itwin.id}/members/alice`)).status, 403);
    assert.deepEqual(ids(await alice.get(`/accesscontrol/itwins/${itwin.id}/members`)), ['alice']);
    const unknown = await alice.post('/accesscontrol/itwins/00000000-0000-4000-8000-000000000000/members', { userId: 'bob' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json().error.code, 'iTwinNotFound');
  });

  it('refuses a user who already is a member (409) and adds nobody from that request', async () => {
    const itwin = await newITwin(alice);
    const res = await alice.post(`/accesscontrol/itwins/${itwin.id}/members`, { members: [{ userId: 'bob' }, { userId: 'alice' }] });
    assert.equal(res.status, 409);
    assert.deepEqual(res.json().error, { code: 'iTwinMemberAlreadyExists', message: `Member 'alice' already exists in iTwin '${itwin.id}'.` });
    assert.deepEqual(ids(await alice.get(`/accesscontrol/itwins/${itwin.id}/members`)), ['alice']);
  });

  it('answers bad bodies with 422 InvalidiTwinsMemberRequest, naming users by sub, not email', async () => {
    const itwin = await newITwin(alice);
    const byEmail = await alice.post(`/accesscontrol/itwins/${itwin.id}/members`, { members: [{ email: 'bob@example.com', roleIds: [] }] });
    assert.equal(byEmail.status, 422);
    assert.equal(byEmail.json().error.code, 'InvalidiTwinsMemberRequest');
    assert.equal(byEmail.json().error.details[0].code, 'MissingRequiredProperty');
    assert.equal(byEmail.json().error.details[0].target, 'members[0].userId');
    assert.match(byEmail.json().error.details[0].message, /sub/);
    for (const body of [{}, { members: [] }, { members: 'bob' }, { userId: 7 }]) {
      assert.equal((await alice.post(`/accesscontrol/itwins/${itwin.id}/members`, body)).status, 422, JSON.stringify(body));
    }
  });

  it('removes a member, who then loses access; members may leave; the last one cannot', async () => {
    const itwin = await newITwin(alice);
    await alice.post(`/accesscontrol/itwins/${itwin.id}/members`, { userId: 'bob' });
    const removed = await alice.delete(`/accesscontrol/itwins/${itwin.id}/members/bob`);
    assert.equal(removed.status, 204);
    assert.equal((await bob.get(`/itwins/${itwin.id}`)).status, 403);
    assert.equal((await alice.delete(`/accesscontrol/itwins/${itwin.id}/members/bob`)).status, 404);

    await alice.post(`/accesscontrol/itwins/${itwin.id}/members`, { userId: 'bob' });
    assert.equal((await alice.delete(`/accesscontrol/itwins/${itwin.id}/members/alice`)).status, 204, 'alice leaves');
    const last = await bob.delete(`/accesscontrol/itwins/${itwin.id}/members/bob`);
    assert.equal(last.status, 409);
    assert.equal(last.json().error.code, 'CannotRemoveLastMember');
    assert.equal((await bob.get(`/itwins/${itwin.id}`)).status, 200);
  });

  it('never leaves an iTwin without members when members are removed at the same time', async () => {
    const itwin = await newITwin(alice);
    await alice.post(`/accesscontrol/itwins/${itwin.id}/members`, { members: [{ userId: 'bob' }, { userId: 'carol' }] });
    const carol = await clientFor(h, 'carol');
    // Everyone removes themselves at once: at most two of three may succeed.
    const results = await Promise.all([
      alice.delete(`/accesscontrol/itwins/${itwin.id}/members/alice`),
      bob.delete(`/accesscontrol/itwins/${itwin.id}/members/bob`),
      carol.delete(`/accesscontrol/itwins/${itwin.id}/members/carol`),
    ]);
    assert.equal(results.filter((r) => r.status === 204).length, 2, results.map((r) => r.status).join(','));
    assert.equal(results.filter((r) => r.status === 409).length, 1);
    const left = await h.store.db.selectFrom('itwin_members').select('subject').where('itwin_id', '=', itwin.id).execute();
    assert.equal(left.length, 1);
  });
});
