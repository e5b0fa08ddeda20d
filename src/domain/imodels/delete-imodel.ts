import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { RunResult } from '../runs/model.js';
import { jobCompleted } from '../webhooks/events.js';
import { requireMember } from '../itwins/access.js';
import type { Store } from '../store.js';
import { imodelForMember } from './access.js';
import type { BlobStore } from '../blob-store.js';
import { imodelBlobsPrefix, removeIModelFile } from './imodel-file.js';

/**
 * Deletes an iModel; its storage connections and their source files go with it (foreign key
 * cascades), and so will their runs once they are stored, and so does the content a builtin connector
 * wrote (its file, after the commit). The storage files stay: they belong to the iTwin, not to the iModel.
 */
export async function deleteIModel(store: Store, blobs: BlobStore, dataDir: string, caller: Caller, id: string): Promise<void> {
  const imodel = await imodelForMember(store, caller, id, 'imodels_delete');
  await store.write(async (tx) => {
    const current = await tx.imodels.find(imodel.id);
    if (!current) throw errors.iModelNotFound();
    await requireMember(tx, caller, current.iTwinId, 'imodels_delete');
    // Its active run ends Cancelled before the cascade removes it, and its webhooks are told (in this
    // transaction, while the iModel still names its iTwin): a run never ends without its event.
    const endedAt = nowIso();
    for (const run of await tx.runs.cancelActiveOfIModel(current.id, endedAt)) {
      await tx.webhooks.record(jobCompleted(run, RunResult.Cancelled, endedAt), Date.parse(endedAt));
    }
    await tx.imodels.delete(current.id);
  });
  // Its versions in the blob store, and this machine's copies of them (the same files in a local store).
  await blobs.deletePrefix(imodelBlobsPrefix(imodel.id));
  await removeIModelFile(dataDir, imodel.id);
}
