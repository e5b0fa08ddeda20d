import type { Caller } from '../caller.js';
import type { Paged } from '../paging.js';
import type { Store } from '../store.js';
import { listMemberViews } from './get-user-members.js';
import type { UserMemberView } from './model.js';

/** The iTwin's owners, oldest first. */
export function listOwners(
  store: Store,
  caller: Caller,
  iTwinId: string,
  query: Record<string, unknown>,
): Promise<Paged<UserMemberView> & { iTwinId: string }> {
  return listMemberViews(store, caller, iTwinId, query, { owners: true });
}
