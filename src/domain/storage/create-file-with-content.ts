import { createHash } from 'node:crypto';
import type { ITwin } from '../itwins/model.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newOpaqueId } from '../ids.js';
import type { Store } from '../store.js';
import type { BlobStore } from '../blob-store.js';
import { contentKey } from './blobs.js';
import type { StorageFile } from './model.js';

/**
 * A storage file whose content is known up front, completed at once (version 1), without an upload.
 * For tests and benchmarks; clients go through create → upload → complete.
 */
export async function createFileWithContent(
  store: Store,
  blobs: BlobStore,
  subject: string,
  itwin: Pick<ITwin, 'id' | 'rootFolderId'>,
  displayName: string,
  content: Buffer,
): Promise<StorageFile> {
  const id = newOpaqueId();
  await blobs.put(contentKey(id, 1), content);
  const now = nowIso();
  const file: StorageFile = {
    id,
    iTwinId: itwin.id,
    folderId: itwin.rootFolderId,
    displayName,
    description: null,
    size: content.length,
    contentVersion: 1,
    contentHash: createHash('sha256').update(content).digest('hex'),
    createdAt: now,
    createdBy: subject,
    modifiedAt: now,
    modifiedBy: subject,
  };
  if (!(await store.storage.insertFile(file))) throw errors.folderNotFound();
  return file;
}
