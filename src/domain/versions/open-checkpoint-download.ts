import type { Readable } from 'node:stream';
import { errors } from '../errors.js';
import { checkpointKey } from '../imodels/imodel-file.js';
import { canonicalGuid, isGuid } from '../ids.js';
import { CHECKPOINT_GRANT, type Checkpoints } from './checkpoints.js';

/** What a checkpoint download is answered with: a redirect to the blob store's URL, or the bytes. */
export type CheckpointDownload =
  | { redirect: string }
  | {
      size: number;
      /** The bytes, or a range of them (inclusive); undefined when the blob went since (pruned). */
      read(range?: { start: number; end: number }): Promise<Readable | undefined>;
    };

/** How long a blob store's own URL lives: long enough to start the download it was given for. */
const REDIRECT_TTL_SECONDS = 300;

/**
 * The file behind a signed checkpoint URL: no bearer token, the signature is the credential (403
 * when it is wrong or expired). A checkpoint pruned, or an iModel deleted, since the URL was given
 * is 404 CheckpointNotFound.
 */
export async function openCheckpointDownload(
  checkpoints: Checkpoints,
  params: { iModelId: string; changesetIndex: string; expires?: string; signature?: string },
): Promise<CheckpointDownload> {
  const { iModelId, changesetIndex } = params;
  // Checked before anything reaches a key: an id and an index are all a key is made of.
  if (!isGuid(iModelId) || !/^\d{1,15}$/.test(changesetIndex)) throw errors.downloadAuthenticationFailed('the signature does not match.');
  const id = canonicalGuid(iModelId);
  const index = Number(changesetIndex);
  const refused = checkpoints.signer.verifyGrant(CHECKPOINT_GRANT, [id, String(index)], params);
  if (refused) throw errors.downloadAuthenticationFailed(refused);
  const key = checkpointKey(id, index);
  const info = await checkpoints.blobs.head(key);
  if (!info) throw errors.checkpointNotFound();
  if (checkpoints.options.redirectDownloads) {
    const url = await checkpoints.blobs.downloadUrl(key, REDIRECT_TTL_SECONDS, `${id}-${index}.bim`);
    if (url) return { redirect: url };
  }
  return { size: info.size, read: (range) => checkpoints.blobs.get(key, range) };
}
