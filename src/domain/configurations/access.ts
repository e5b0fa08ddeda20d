import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { canonicalGuid, isGuid, isOpaqueId } from '../ids.js';
import { requireMember } from '../itwins/access.js';
import type { Permission } from '../roles/permissions.js';

import type { Repositories } from '../store.js';
import type { Level } from './model.js';
import type { ScopeChain } from './repository.js';

/** The scope a configuration route names, with the scopes it resolves through. */
export interface Scope {
  level: Level;
  id: string;
  chain: ScopeChain;
}

const PARAMETER: Record<Level, string> = { itwin: 'iTwinId', imodel: 'iModelId', connection: 'connectionId' };

/**
 * The iTwin, iModel or connection `rawId` names, if the caller may see its configuration: a
 * malformed id is a 422 `InvalidConfigurationRequest` naming the parameter, an unknown scope the
 * 404 of that scope (as every operation under it answers), one in an iTwin the caller is no
 * member of a 403 (docs/decisions.md, "Configurations").
 */
export async function scopeForCaller(
  repos: Pick<Repositories, 'itwins' | 'imodels' | 'connections'>,
  caller: Caller,
  level: Level,
  rawId: string,
  /** `imodels_read` to read a configuration, `imodels_write` to change it. */
  permission: Permission,
): Promise<Scope> {
  const wellFormed = level === 'connection' ? isOpaqueId(rawId) : isGuid(rawId);
  if (!wellFormed) {
    const name = PARAMETER[level];
    throw errors.invalidConfigurationRequest([{ code: 'InvalidValue', message: `Provided ${name} value is not valid.`, target: name }]);
  }
  if (level === 'itwin') {
    const itwin = await repos.itwins.find(canonicalGuid(rawId));
    if (!itwin) throw errors.iTwinNotFound();
    await requireMember(repos, caller, itwin.id, permission);
    return { level, id: itwin.id, chain: { itwin: itwin.id } };
  }
  if (level === 'imodel') {
    const imodel = await repos.imodels.find(canonicalGuid(rawId));
    if (!imodel) throw errors.iModelNotFound();
    await requireMember(repos, caller, imodel.iTwinId, permission);
    return { level, id: imodel.id, chain: { itwin: imodel.iTwinId, imodel: imodel.id } };
  }
  const connection = await repos.connections.find(rawId);
  if (!connection) throw errors.storageConnectionNotFound();
  await requireMember(repos, caller, connection.iTwinId, permission);
  return { level, id: connection.id, chain: { itwin: connection.iTwinId, imodel: connection.iModelId, connection: connection.id } };
}
