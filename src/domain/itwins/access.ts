import type { Kysely } from 'kysely';
import { findITwin, isMember } from '../../store/repositories/itwins.js';
import type { Database, ITwinRow } from '../../store/schema.js';
import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { canonicalGuid, isGuid } from '../ids.js';

/**
 * The iTwin `id` names, if the caller is a member: unknown (or not a GUID at all) is a 404
 * `iTwinNotFound`, existing but not theirs a 403. Every operation on anything inside an iTwin
 * goes through this rule.
 */
export async function itwinForMember(db: Kysely<Database>, caller: Caller, id: string): Promise<ITwinRow> {
  if (!isGuid(id)) throw errors.iTwinNotFound();
  const itwin = await findITwin(db, canonicalGuid(id));
  if (!itwin) throw errors.iTwinNotFound();
  await requireMember(db, caller, itwin.id);
  return itwin;
}

export async function requireMember(db: Kysely<Database>, caller: Caller, itwinId: string): Promise<void> {
  if (!(await isMember(db, itwinId, caller.subject))) throw errors.insufficientPermissions();
}
