import type { Kysely } from 'kysely';
import type { Store } from '../../store/store.js';
import type { Database } from '../../store/schema.js';
import { findCreateTargets, insertConnection, type CreateTargets } from '../../store/repositories/storage-connections.js';
import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors, type ErrorDetail } from '../errors.js';
import { newGuid, newOpaqueId } from '../ids.js';
import { MalformedBody } from '../request-body.js';
import { detail, parseCreateBody } from './create-body.js';
import { connectionFromRow, type StorageConnection } from './model.js';
import { unusableOf } from './usable-files.js';

/**
 * Create Storage Connection. Every problem of the request comes back in one 422; a storage file
 * already mapped in the iModel is a 409 (the store's unique index decides, so it holds under
 * concurrency); nothing is written unless the whole request succeeds.
 */
export async function createStorageConnection(store: Store, caller: Caller, body: unknown): Promise<StorageConnection> {
  if (body === undefined) {
    throw errors.missingRequestBody([detail.missingIModelId(), detail.missing('sourceFiles')]);
  }
  if (body instanceof MalformedBody) {
    throw errors.invalidStorageConnectionRequest([detail.invalidRequestBody(body.reason)]);
  }

  const parsed = parseCreateBody(body);
  if (!parsed.input) {
    // Report unknown or invisible ids along with the shape problems, so one response says it all.
    const { problems } = await checkVisibility(store.db, caller, parsed.iModelId, parsed.storageFileIds);
    throw errors.invalidStorageConnectionRequest([...parsed.details, ...problems]);
  }
  const input = parsed.input;

  return store.write(async (trx) => {
    const { problems, iModel } = await checkVisibility(trx, caller, input.iModelId, parsed.storageFileIds);
    if (problems.length > 0 || !iModel) throw errors.invalidStorageConnectionRequest(problems);

    const createdAt = nowIso();
    const row = {
      id: newOpaqueId(),
      imodel_id: iModel.id,
      itwin_id: iModel.itwin_id,
      display_name: input.displayName,
      authentication_type: input.authenticationType,
      created_by: caller.subject,
      created_at: createdAt,
      last_run_id: null,
    };
    const sourceFiles = input.sourceFiles.map((file, ordinal) => ({
      ordinal,
      id: newGuid(),
      connection_id: row.id,
      imodel_id: iModel.id,
      storage_file_id: file.storageFileId,
      connector_type: file.connectorType,
      created_at: createdAt,
    }));
    try {
      await insertConnection(trx, row, sourceFiles, { oneStatement: store.dialect.insertsInWith });
    } catch (error) {
      if (store.dialect.isUniqueViolation(error)) throw errors.fileMappingExists();
      // The iModel was deleted between the check and the insert.
      if (store.dialect.isForeignKeyViolation(error)) throw errors.invalidStorageConnectionRequest([detail.invalidIModelId()]);
      throw error;
    }
    return connectionFromRow(row);
  });
}

/**
 * An iModel or storage file that does not exist, that the caller cannot see (not a member of its
 * iTwin), whose content was never completed, or that lies in another iTwin than the iModel, is
 * "not valid" in the seed's words: one detail each.
 */
async function checkVisibility(
  db: Kysely<Database>,
  caller: Caller,
  iModelId: string | undefined,
  storageFileIds: readonly string[],
): Promise<{ problems: ErrorDetail[]; iModel?: CreateTargets['iModel'] }> {
  const problems: ErrorDetail[] = [];
  // One statement for both checks: each statement is a round trip on PostgreSQL.
  const { iModel, files } = await findCreateTargets(db, caller.subject, iModelId, storageFileIds);
  if (iModelId !== undefined && !iModel) problems.push(detail.invalidIModelId());
  for (const _ of unusableOf(storageFileIds, files, iModel?.itwin_id)) problems.push(detail.invalidStorageFileId());
  return { problems, iModel };
}
