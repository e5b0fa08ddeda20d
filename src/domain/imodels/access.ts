import type { Kysely } from 'kysely';
import { findIModel } from '../../store/repositories/imodels.js';
import type { Database, IModelRow } from '../../store/schema.js';
import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { canonicalGuid, isGuid } from '../ids.js';
import { requireMember } from '../itwins/access.js';

/** The iModel `id` names, if the caller is a member of its iTwin: otherwise 404 or 403. */
export async function imodelForMember(db: Kysely<Database>, caller: Caller, id: string): Promise<IModelRow> {
  if (!isGuid(id)) throw errors.iModelNotFound();
  const imodel = await findIModel(db, canonicalGuid(id));
  if (!imodel) throw errors.iModelNotFound();
  await requireMember(db, caller, imodel.itwin_id);
  return imodel;
}
