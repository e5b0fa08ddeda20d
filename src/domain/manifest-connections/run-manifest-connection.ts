import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { isPlainObject, MalformedBody } from '../request-body.js';
import { activeRunOf, queueRun, type RunRequestOutcome } from '../runs/run-storage-connection.js';
import type { Store } from '../store.js';
import { manifestConnectionForCaller } from './access.js';
import { parseManifest } from './manifest-body.js';
import type { Manifest } from './model.js';

/**
 * Create ManifestConnection Run. The body is the manifest: checked whole first (every problem in one
 * 422; no body at all is MissingRequestBody), its source files checked against the connection (a
 * `bridge` names a registered source file, an `unmap` one registered or synchronized by the
 * connection before). Then as for storage connections: an active run of the iModel is answered with
 * a 303 to it, else the run is queued with its manifest and the connection's lastRun in one
 * transaction, and of simultaneous requests one is queued and the others get 409.
 */
export async function runManifestConnection(
  store: Store,
  caller: Caller,
  connectionId: string,
  body: unknown,
  runTimeoutMs: number,
): Promise<RunRequestOutcome> {
  const connection = await manifestConnectionForCaller(store, caller, connectionId, 'imodels_write');
  const manifest = parseRunBody(body);
  const unknown = await unknownFiles(store, connection.id, manifest);
  if (unknown.length > 0) throw errors.invalidManifestConnectionRequest(unknown);

  const active = await activeRunOf(store, connection.iModelId);
  if (active) return active;

  return store.write(async (tx) => {
    const current = await manifestConnectionForCaller(tx, caller, connectionId, 'imodels_write');
    return queueRun(tx, current, caller, runTimeoutMs, (runId) => tx.manifests.saveManifest(runId, manifest));
  });
}

function parseRunBody(body: unknown): Manifest {
  if (body === undefined) {
    throw errors.missingRequestBody([{ code: 'MissingRequiredProperty', message: 'A manifest is required: send sourceFiles.', target: 'sourceFiles' }]);
  }
  if (body instanceof MalformedBody) throw errors.invalidManifestConnectionRequest([{ code: 'InvalidRequestBody', message: body.reason }]);
  if (!isPlainObject(body)) throw errors.invalidManifestConnectionRequest([{ code: 'InvalidRequestBody', message: 'The request body must be a JSON object.' }]);
  const { manifest, details } = parseManifest(body);
  if (!manifest) throw errors.invalidManifestConnectionRequest(details);
  return manifest;
}

/** Entries the connection does not know: one detail each, naming its place in the manifest. */
async function unknownFiles(store: Store, connectionId: string, manifest: Manifest): Promise<ErrorDetail[]> {
  const ids = manifest.sourceFiles.map((f) => f.id);
  const unmapping = manifest.sourceFiles.some((f) => f.action === 'unmap');
  const [registered, sources] = await Promise.all([store.manifests.registered(connectionId, ids), unmapping ? store.runs.sourcesOf(connectionId) : undefined]);
  const synced = new Set(sources?.synced.map((s) => s.sourceFileId));
  const details: ErrorDetail[] = [];
  for (const [i, file] of manifest.sourceFiles.entries()) {
    if (registered.has(file.id) || (file.action === 'unmap' && synced.has(file.id))) continue;
    const message =
      file.action === 'unmap'
        ? `The source file ${file.id} is neither a source file of the connection nor synchronized by it.`
        : `The source file ${file.id} is not a source file of the connection: add it first.`;
    details.push({ code: 'InvalidValue', message, target: `sourceFiles[${i}].id` });
  }
  return details;
}
