import type { Kysely } from 'kysely';
import { isMember } from '../../store/repositories/itwins.js';
import type { Database } from '../../store/schema.js';
import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { canonicalGuid, isGuid } from '../ids.js';
import type { Repositories } from '../store.js';
import type { ITwin } from './model.js';

/** TODO(issue 11): goes (with the Kysely import) once no caller passes a Kysely database any more. */
type LegacyDb = Kysely<Database>;

/**
 * The iTwin `id` names, if the caller is a member: unknown (or not a GUID at all) is a 404
 * `iTwinNotFound`, existing but not theirs a 403. Every operation on anything inside an iTwin
 * goes through this rule.
 */
export async function itwinForMember(repos: Pick<Repositories, 'itwins'>, caller: Caller, id: string): Promise<ITwin> {
  if (!isGuid(id)) throw errors.iTwinNotFound();
  const itwin = await repos.itwins.find(canonicalGuid(id));
  if (!itwin) throw errors.iTwinNotFound();
  await requireMember(repos, caller, itwin.id);
  return itwin;
}

export async function requireMember(repos: Pick<Repositories, 'itwins'> | LegacyDb, caller: Caller, itwinId: string): Promise<void> {
  const member = 'itwins' in repos ? await repos.itwins.isMember(itwinId, caller.subject) : await isMember(repos, itwinId, caller.subject);
  if (!member) throw errors.insufficientPermissions();
}
