import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors, type ErrorDetail } from '../errors.js';
import { newGuid, newOpaqueId } from '../ids.js';
import { MalformedBody } from '../request-body.js';
import type { SourceFileMapping } from '../source-files/model.js';
import { grants } from '../roles/permissions.js';
import type { Store } from '../store.js';
import { detail, parseCreateBody, type CreateStorageConnectionInput } from './create-body.js';
import type { StorageConnection } from './model.js';
import type { CreateDecision, CreateTargets } from './repository.js';
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
  const lookup = { subject: caller.subject, iModelId: parsed.iModelId, storageFileIds: parsed.storageFileIds };
  if (!parsed.input) {
    // Report unknown or invisible ids along with the shape problems, so one response says it all.
    const found = await store.connections.findCreateTargets(lookup);
    throw errors.invalidStorageConnectionRequest([...parsed.details, ...problemsOf(lookup, found)]);
  }
  const outcome = await store.connections.create({ ...lookup, iModelId: parsed.input.iModelId, input: parsed.input }, decide);
  if ('created' in outcome) return outcome.created;
  if ('problems' in outcome) throw errors.invalidStorageConnectionRequest(outcome.problems);
  if ('forbidden' in outcome) throw errors.insufficientPermissions();
  // The checks passed, then the insert was refused: the file was mapped, or the iModel deleted, meanwhile.
  if (outcome.conflict === 'fileMapped') throw errors.fileMappingExists();
  throw errors.invalidStorageConnectionRequest([detail.invalidIModelId()]);
}

interface CreateRequest {
  subject: string;
  iModelId: string;
  storageFileIds: readonly string[];
  input: CreateStorageConnectionInput;
}

/**
 * The rule of a create, given what the store found for it: the connection to store, or every problem
 * of the request. The store applies it to each create, whether it writes that create alone or
 * together with others that arrived at the same moment.
 */
function decide(request: CreateRequest, found: CreateTargets): CreateDecision {
  const problems = problemsOf(request, found);
  const iModel = found.iModel;
  if (problems.length > 0 || !iModel) return { problems };
  // Mapping files into an iModel is a change of it: the iModels API's imodels_write.
  if (!grants(iModel.access, 'imodels_write')) return { forbidden: true };
  const createdAt = nowIso();
  const connection: StorageConnection = {
    id: newOpaqueId(),
    displayName: request.input.displayName,
    iModelId: iModel.id,
    iTwinId: iModel.iTwinId,
    authenticationType: request.input.authenticationType,
    lastRunId: null,
    createdBy: request.subject,
    createdAt,
    kind: 'storage',
  };
  const sourceFiles = request.input.sourceFiles.map(
    (file, ordinal): SourceFileMapping => ({
      id: newGuid(),
      connectionId: connection.id,
      iModelId: iModel.id,
      storageFileId: file.storageFileId,
      connectorType: file.connectorType,
      createdAt,
      ordinal,
    }),
  );
  return { insert: { connection, sourceFiles } };
}

/**
 * An iModel or storage file that does not exist, that the caller cannot see (not a member of its
 * iTwin), whose content was never completed, or that lies in another iTwin than the iModel, is
 * "not valid" in the API's words: one detail each (docs/api-contract.md).
 */
function problemsOf(request: { iModelId: string | undefined; storageFileIds: readonly string[] }, found: CreateTargets): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (request.iModelId !== undefined && !found.iModel) problems.push(detail.invalidIModelId());
  for (const _ of unusableOf(request.storageFileIds, found.files, found.iModel?.iTwinId)) problems.push(detail.invalidStorageFileId());
  return problems;
}
