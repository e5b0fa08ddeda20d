import type { Kysely, Transaction } from 'kysely';
import type { StoreDialect } from '../../store/dialect.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Database, SourceFileRow, StorageConnectionRow } from '../../store/schema.js';
import {
  findCreateTargets,
  findCreateTargetsOfMany,
  insertConnection,
  insertConnections,
  type CreateTargets,
} from '../../store/repositories/storage-connections.js';
import type { Coalesced, Outcome } from '../../store/write-batcher.js';
import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors, type ErrorDetail } from '../errors.js';
import { newGuid, newOpaqueId } from '../ids.js';
import { MalformedBody } from '../request-body.js';
import { detail, parseCreateBody, type CreateStorageConnectionInput } from './create-body.js';
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
  return store.writeCoalesced(CREATE, { dialect: store.dialect, caller, input: parsed.input, storageFileIds: parsed.storageFileIds });
}

interface CreateRequest {
  dialect: StoreDialect;
  caller: Caller;
  input: CreateStorageConnectionInput;
  storageFileIds: readonly string[];
}

/**
 * Creates that arrive together are written together: one statement checks all of them and one or
 * two insert all that passed, instead of two or three per create (on PostgreSQL, each a round trip).
 * A create that fails its checks is a 422 that wrote nothing. If the insert fails (a file mapped
 * twice, an iModel deleted meanwhile), nothing of it stays and every create runs again alone
 * (createOne), which tells the 409 from the 422 the same way it always did.
 */
const CREATE: Coalesced<CreateRequest, StorageConnection> = {
  one: createOne,
  async many(trx, requests) {
    const subjects = new Set<string>();
    const iModelIds = new Set<string>();
    const fileIds = new Set<string>();
    for (const r of requests) {
      subjects.add(r.caller.subject);
      iModelIds.add(r.input.iModelId);
      for (const id of r.storageFileIds) fileIds.add(id);
    }
    const targets = await findCreateTargetsOfMany(trx, [...subjects], [...iModelIds], [...fileIds]);
    const outcomes: Outcome<StorageConnection>[] = [];
    const connections: StorageConnectionRow[] = [];
    const sourceFiles: SourceFileRow[] = [];
    for (const r of requests) {
      const subject = r.caller.subject;
      const found = targets.iModels.find((m) => m.id === r.input.iModelId && m.subject === subject);
      const iModel = found && { id: found.id, itwin_id: found.itwin_id };
      const files = targets.files.filter((f) => f.subject === subject);
      const problems = problemsOf(r.input.iModelId, r.storageFileIds, iModel, files);
      if (problems.length > 0 || !iModel) {
        outcomes.push({ ok: false, value: errors.invalidStorageConnectionRequest(problems) });
        continue;
      }
      const rows = rowsOf(r.caller, r.input, iModel);
      connections.push(rows.connection);
      sourceFiles.push(...rows.sourceFiles);
      outcomes.push({ ok: true, value: connectionFromRow(rows.connection) });
    }
    await insertConnections(trx, connections, sourceFiles, { oneStatement: requests[0]!.dialect.insertsInWith });
    return outcomes;
  },
};

async function createOne(trx: Transaction<Database>, { dialect, caller, input, storageFileIds }: CreateRequest): Promise<StorageConnection> {
  const { problems, iModel } = await checkVisibility(trx, caller, input.iModelId, storageFileIds);
  if (problems.length > 0 || !iModel) throw errors.invalidStorageConnectionRequest(problems);
  const { connection, sourceFiles } = rowsOf(caller, input, iModel);
  try {
    await insertConnection(trx, connection, sourceFiles, { oneStatement: dialect.insertsInWith });
  } catch (error) {
    if (dialect.isUniqueViolation(error)) throw errors.fileMappingExists();
    // The iModel was deleted between the check and the insert.
    if (dialect.isForeignKeyViolation(error)) throw errors.invalidStorageConnectionRequest([detail.invalidIModelId()]);
    throw error;
  }
  return connectionFromRow(connection);
}

function rowsOf(caller: Caller, input: CreateStorageConnectionInput, iModel: NonNullable<CreateTargets['iModel']>) {
  const createdAt = nowIso();
  const connection: StorageConnectionRow = {
    id: newOpaqueId(),
    imodel_id: iModel.id,
    itwin_id: iModel.itwin_id,
    display_name: input.displayName,
    authentication_type: input.authenticationType,
    created_by: caller.subject,
    created_at: createdAt,
    last_run_id: null,
  };
  const sourceFiles: SourceFileRow[] = input.sourceFiles.map((file, ordinal) => ({
    ordinal,
    id: newGuid(),
    connection_id: connection.id,
    imodel_id: iModel.id,
    storage_file_id: file.storageFileId,
    connector_type: file.connectorType,
    created_at: createdAt,
  }));
  return { connection, sourceFiles };
}

/**
 * An iModel or storage file that does not exist, that the caller cannot see (not a member of its
 * iTwin), whose content was never completed, or that lies in another iTwin than the iModel, is
 * "not valid" in the API's words: one detail each (docs/api-contract.md).
 */
async function checkVisibility(
  db: Kysely<Database>,
  caller: Caller,
  iModelId: string | undefined,
  storageFileIds: readonly string[],
): Promise<{ problems: ErrorDetail[]; iModel?: CreateTargets['iModel'] }> {
  // One statement for both checks: each statement is a round trip on PostgreSQL.
  const { iModel, files } = await findCreateTargets(db, caller.subject, iModelId, storageFileIds);
  return { problems: problemsOf(iModelId, storageFileIds, iModel, files), iModel };
}

function problemsOf(
  iModelId: string | undefined,
  storageFileIds: readonly string[],
  iModel: CreateTargets['iModel'],
  usableFiles: CreateTargets['files'],
): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (iModelId !== undefined && !iModel) problems.push(detail.invalidIModelId());
  for (const _ of unusableOf(storageFileIds, usableFiles, iModel?.itwin_id)) problems.push(detail.invalidStorageFileId());
  return problems;
}
