import type { StorageItemRow } from '../../store/repositories/storage.js';
import type { StorageFileRow, StorageFolderRow } from '../../store/schema.js';

/** A folder or a file as the Storage API shows it; `path` is relative to the iTwin's root folder. */
export interface StorageItem {
  type: 'folder' | 'file';
  id: string;
  iTwinId: string;
  /** null only for a root folder. */
  parentFolderId: string | null;
  displayName: string;
  description: string | null;
  path: string;
  /** Files: bytes of the current content (0 until the first upload is completed). */
  size: number;
  createdAt: string;
  createdBy: string;
  modifiedAt: string;
  modifiedBy: string;
}

const join = (folderPath: readonly string[], name: string) => [...folderPath, name].join('/');

export function fileFromRow(row: StorageFileRow, folderPath: readonly string[]): StorageItem {
  return {
    type: 'file',
    id: row.id,
    iTwinId: row.itwin_id,
    parentFolderId: row.folder_id,
    displayName: row.display_name,
    description: row.description,
    path: join(folderPath, row.display_name),
    size: Number(row.size),
    createdAt: row.created_at,
    createdBy: row.created_by,
    modifiedAt: row.modified_at,
    modifiedBy: row.modified_by,
  };
}

/** `folderPath`: the path of the folder's parent. A root folder's own path is empty. */
export function folderFromRow(row: StorageFolderRow, parentPath: readonly string[]): StorageItem {
  return {
    type: 'folder',
    id: row.id,
    iTwinId: row.itwin_id,
    parentFolderId: row.parent_id,
    displayName: row.display_name,
    description: row.description,
    path: row.parent_id === null ? '' : join(parentPath, row.display_name),
    size: 0,
    createdAt: row.created_at,
    createdBy: row.created_by,
    modifiedAt: row.created_at,
    modifiedBy: row.created_by,
  };
}

export function itemFromRow(row: StorageItemRow, folderPath: readonly string[]): StorageItem {
  return {
    type: row.type,
    id: row.id,
    iTwinId: row.itwin_id,
    parentFolderId: row.parent_id,
    displayName: row.display_name,
    description: row.description,
    path: join(folderPath, row.display_name),
    size: row.size,
    createdAt: row.created_at,
    createdBy: row.created_by,
    modifiedAt: row.modified_at,
    modifiedBy: row.modified_by,
  };
}
