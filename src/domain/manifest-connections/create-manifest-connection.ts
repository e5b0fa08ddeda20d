import { grants } from '../roles/permissions.js';
import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newGuid, newOpaqueId } from '../ids.js';
import { isPlainObject, MalformedBody } from '../request-body.js';
import type { Store } from '../store.js';
import { detail } from '../storage-connections/create-body.js';
import type { StorageConnection } from '../storage-connections/model.js';
import { parseCreateManifestConnection } from './body.js';
import type { ManifestSourceFileMapping } from './model.js';

/**
 * Create ManifestConnection. Every problem of the body in one 422 (an iModel that does not exist or
 * that the caller cannot see is "not valid", as for storage connections); a source file id already
 * registered in the iModel is a 409, decided by the store's unique index; nothing is written unless
 * all succeeds.
 */
export async function createManifestConnection(store: Store, caller: Caller, body: unknown): Promise<StorageConnection> {
  if (body === undefined) throw errors.missingRequestBody([detail.missingIModelId(), detail.missing('sourceFiles')]);
  if (body instanceof MalformedBody) throw errors.invalidManifestConnectionRequest([detail.invalidRequestBody(body.reason)]);
  if (!isPlainObject(body)) throw errors.invalidManifestConnectionRequest([detail.invalidRequestBody('The request body must be a JSON object.')]);
  const parsed = parseCreateManifestConnection(body);
  return store.write(async (tx) => {
    const iModel = parsed.iModelId === undefined ? undefined : await tx.imodels.find(parsed.iModelId);
    const access = iModel === undefined ? undefined : await tx.itwins.accessOf(iModel.iTwinId, caller.subject);
    const visible = access !== undefined;
    const details = [...parsed.details];
    if (parsed.iModelId !== undefined && !visible) details.push(detail.invalidIModelId());
    if (details.length > 0 || !parsed.input || !iModel) throw errors.invalidManifestConnectionRequest(details);
    // Mapping files into an iModel is a change of it (imodels_write), as for storage connections.
    if (!access || !grants(access, 'imodels_write')) throw errors.insufficientPermissions();

    const createdAt = nowIso();
    const connection: StorageConnection = {
      id: newOpaqueId(),
      displayName: parsed.input.displayName,
      iModelId: iModel.id,
      iTwinId: iModel.iTwinId,
      authenticationType: parsed.input.authenticationType,
      lastRunId: null,
      createdBy: caller.subject,
      createdAt,
      kind: 'manifest',
    };
    const sourceFiles = parsed.input.sourceFileIds.map(
      (sourceFileId, ordinal): ManifestSourceFileMapping => ({
        id: newGuid(),
        connectionId: connection.id,
        iModelId: iModel.id,
        sourceFileId,
        createdAt,
        ordinal,
      }),
    );
    const outcome = await tx.manifests.create(connection, sourceFiles);
    if (outcome === 'fileMapped') throw errors.fileMappingExists();
    if (outcome === 'iModelGone') throw errors.invalidManifestConnectionRequest([detail.invalidIModelId()]);
    return connection;
  });
}
