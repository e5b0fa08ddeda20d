import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import type { Store } from '../store.js';
import type { UserStatistics } from '../versions/repository.js';
import { imodelForMember } from './access.js';
import type { IModel } from './model.js';

/**
 * A user of an iModel as the iModels API shows one: twinsync knows users only by the subject of
 * their tokens, so that is their id, display name and (when it is an address) email; what they did
 * on the iModel is counted from its changesets and named versions (docs/versions.md).
 */
export interface IModelUser extends UserStatistics {
  id: string;
}

/** The users of an iModel: its creator, and whoever pushed changesets or named versions to it, by id. */
export async function listIModelUsers(store: Store, caller: Caller, iModelId: string): Promise<{ imodel: IModel; users: IModelUser[] }> {
  const imodel = await imodelForMember(store, caller, iModelId);
  const ids = [...new Set([imodel.createdBy, ...(await store.versions.userIdsOf(imodel.id))])].sort();
  const users: IModelUser[] = [];
  for (const id of ids) users.push({ id, ...(await store.versions.userStatistics(imodel.id, id)) });
  return { imodel, users };
}

/** One of them, or a member of the iModel's iTwin (404 UserNotFound for anyone else). */
export async function getIModelUser(store: Store, caller: Caller, iModelId: string, userId: string): Promise<IModelUser> {
  const imodel = await imodelForMember(store, caller, iModelId);
  const statistics = await store.versions.userStatistics(imodel.id, userId);
  const known =
    userId === imodel.createdBy ||
    statistics.pushedChangesetsCount > 0 ||
    statistics.createdVersionsCount > 0 ||
    (await store.itwins.isMember(imodel.iTwinId, userId));
  if (!known) throw errors.userNotFound();
  return { id: userId, ...statistics };
}
