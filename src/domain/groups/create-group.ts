import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newGuid } from '../ids.js';
import { itwinForMember, requireMember } from '../itwins/access.js';
import type { Store } from '../store.js';
import { parseNewGroup } from './bodies.js';
import type { Group } from './model.js';
import type { GroupView } from './views.js';

/** A new, empty group (an update gives it users and IMS groups). */
export async function createGroup(store: Store, caller: Caller, iTwinId: string, body: unknown): Promise<GroupView> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'administration_manage_groups');
  const { name, description } = parseNewGroup(body);
  const group: Group = { id: newGuid(), iTwinId: itwin.id, name, description, imsGroups: [], createdAt: nowIso() };
  await store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    await requireMember(tx, caller, itwin.id, 'administration_manage_groups');
    await tx.groups.insert(group);
  });
  return { group, users: [] };
}
