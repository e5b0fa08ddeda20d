import { createHash } from 'node:crypto';
import type { SqlStore as Store } from '../../store/store.js';
import { insertFile } from '../../store/repositories/storage.js';
import type { StorageFileRow } from '../../store/schema.js';
import type { ITwin } from '../itwins/model.js';
import { nowIso } from '../clock.js';
import { newOpaqueId } from '../ids.js';
import { writeBlob } from './blobs.js';

/**
 * A storage file whose content is known up front, completed at once (version 1), without an upload.
 * For tests and benchmarks; clients go through create → upload → complete.
 */
export async function createFileWithContent(
  store: Store,
  dataDir: string,
  subject: string,
  itwin: Pick<ITwin, 'id' | 'rootFolderId'>,
  displayName: string,
  content: Buffer,
): Promise<StorageFileRow> {
  const id = newOpaqueId();
  writeBlob(dataDir, id, 1, content);
  const now = nowIso();
  const row: StorageFileRow = {
    id,
    itwin_id: itwin.id,
    folder_id: itwin.rootFolderId,
    display_name: displayName,
    description: null,
    size: content.length,
    content_version: 1,
    content_hash: createHash('sha256').update(content).digest('hex'),
    created_at: now,
    created_by: subject,
    modified_at: now,
    modified_by: subject,
  };
  await store.writeSql((trx) => insertFile(trx, row));
  return row;
}
