import fs from 'node:fs';
import { errors } from '../errors.js';
import { canonicalGuid, isGuid } from '../ids.js';
import { CHECKPOINT_GRANT, type Checkpoints } from './checkpoints.js';

export interface CheckpointFile {
  /** Open already: a prune that removes the file after this still lets the download finish. The reader closes it. */
  handle: fs.promises.FileHandle;
  size: number;
}

/**
 * The file behind a signed checkpoint URL: no bearer token, the signature is the credential (403
 * when it is wrong or expired). A checkpoint pruned, or an iModel deleted, since the URL was given
 * is 404 CheckpointNotFound.
 */
export async function openCheckpointDownload(
  checkpoints: Checkpoints,
  params: { iModelId: string; changesetIndex: string; expires?: string; signature?: string },
): Promise<CheckpointFile> {
  const { iModelId, changesetIndex } = params;
  // Checked before anything reaches a path: an id and an index are all a file name is made of.
  if (!isGuid(iModelId) || !/^\d{1,15}$/.test(changesetIndex)) throw errors.downloadAuthenticationFailed('the signature does not match.');
  const id = canonicalGuid(iModelId);
  const index = Number(changesetIndex);
  const refused = checkpoints.signer.verifyGrant(CHECKPOINT_GRANT, [id, String(index)], params);
  if (refused) throw errors.downloadAuthenticationFailed(refused);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(checkpoints.fileOf(id, index), 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw errors.checkpointNotFound();
    throw error;
  }
  try {
    return { handle, size: (await handle.stat()).size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
