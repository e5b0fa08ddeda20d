import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors, type ErrorDetail } from '../errors.js';
import { itwinForMember } from '../itwins/access.js';
import { parsePage, toPaged, type Paged } from '../paging.js';
import type { Store } from '../store.js';
import type { InvitationView } from './model.js';
import { invitationViews } from './views.js';

/**
 * Pending invitations of the iTwin, oldest first, as the platform documents them: any member may
 * ask; an owner sees them all, anyone else those they sent. Expired ones are not shown (they are
 * dropped when their address authenticates).
 */
export async function listInvitations(
  store: Store,
  caller: Caller,
  iTwinId: string,
  query: Record<string, unknown>,
): Promise<Paged<InvitationView> & { iTwinId: string }> {
  const itwin = await itwinForMember(store, caller, iTwinId);
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details);
  if (details.length > 0) throw errors.invalidInvitationsRequest(details);
  const owner = (await store.itwins.accessOf(itwin.id, caller.subject))?.owner === true;
  // Expired invitations, and others' when the caller is no owner, are left out by the store, before
  // paging: filtering a page afterwards would make it short, and a client reading pages until a
  // short one would stop too early.
  const paged = toPaged(await store.itwins.listInvitations(itwin.id, page, nowIso(), owner ? undefined : caller.subject), page);
  return { ...paged, items: await invitationViews(store, itwin.id, paged.items), iTwinId: itwin.id };
}
