/** A folder as stored: an iTwin's root folder has no parent. */
export interface Folder {
  id: string;
  iTwinId: string;
  parentFolderId: string | null;
  displayName: string;
  description: string | null;
  createdAt: string;
  createdBy: string;
}

/** A file as stored: its content lives outside the store, one blob per content version. */
export interface StorageFile {
  id: string;
  iTwinId: string;
  folderId: string;
  displayName: string;
  description: string | null;
  /** Bytes of the current content (0 until the first upload is completed). */
  size: number;
  /** 0 until the first upload is completed, then one more with each completed upload. */
  contentVersion: number;
  /** SHA-256 of the current content, in hex; null before the first. */
  contentHash: string | null;
  createdAt: string;
  createdBy: string;
  modifiedAt: string;
  modifiedBy: string;
}

/**
 * The bytes a storage file holds now, as a run's task reads them: the content last PUT on the
 * upload URL of its next version when that upload is not completed yet (as in the cloud, where the
 * PUT itself replaces the blob), else its current version. `stagedName` says which: the staged
 * upload's name, or null for the version's own content.
 */
export interface StoredContent {
  version: number;
  hash: string;
  size: number;
  stagedName: string | null;
}

/**
 * The upload of one content version of a file: opened when its URL is given, holding the whole
 * body last PUT to that URL (staged in the blob store under uploads/) until it is completed.
 */
export interface Upload {
  fileId: string;
  version: number;
  createdAt: string;
  /** The user the upload URL was given to. */
  createdBy: string;
  /** The staged file holding the body; null until a whole body arrived. */
  stagedName: string | null;
  size: number | null;
  contentHash: string | null;
  uploadedAt: string | null;
  completedAt: string | null;
}

export type ListKind = 'all' | 'folders' | 'files';

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

/** A folder or a file as a folder listing finds it. */
export type ListedItem = { type: 'folder'; folder: Folder } | { type: 'file'; file: StorageFile };

const join = (folderPath: readonly string[], name: string) => [...folderPath, name].join('/');

export function fileItem(file: StorageFile, folderPath: readonly string[]): StorageItem {
  return {
    type: 'file',
    id: file.id,
    iTwinId: file.iTwinId,
    parentFolderId: file.folderId,
    displayName: file.displayName,
    description: file.description,
    path: join(folderPath, file.displayName),
    size: file.size,
    createdAt: file.createdAt,
    createdBy: file.createdBy,
    modifiedAt: file.modifiedAt,
    modifiedBy: file.modifiedBy,
  };
}

/** `parentPath`: the path of the folder's parent. A root folder's own path is empty. */
export function folderItem(folder: Folder, parentPath: readonly string[]): StorageItem {
  return {
    type: 'folder',
    id: folder.id,
    iTwinId: folder.iTwinId,
    parentFolderId: folder.parentFolderId,
    displayName: folder.displayName,
    description: folder.description,
    path: folder.parentFolderId === null ? '' : join(parentPath, folder.displayName),
    size: 0,
    // Folders are never modified: the Storage API shows their creation as their last change.
    createdAt: folder.createdAt,
    createdBy: folder.createdBy,
    modifiedAt: folder.createdAt,
    modifiedBy: folder.createdBy,
  };
}

/** `folderPath`: the path of the folder listed. */
export function listedItem(item: ListedItem, folderPath: readonly string[]): StorageItem {
  return item.type === 'folder' ? folderItem(item.folder, folderPath) : fileItem(item.file, folderPath);
}
