import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { canonicalGuid, isGuid } from '../ids.js';
import type { Repositories } from '../store.js';
import type { ITwin } from './model.js';

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

export async function requireMember(repos: Pick<Repositories, 'itwins'>, caller: Caller, itwinId: string): Promise<void> {
  if (!(await repos.itwins.isMember(itwinId, caller.subject))) throw errors.insufficientPermissions();
}
