import type { Page } from '../paging.js';
import type { Folder, ListedItem, ListKind, StorageFile, Upload } from './model.js';

/** A new current content of a file (see StorageRepository.setFileContent). */
export interface FileContent {
  version: number;
  size: number;
  hash: string;
  modifiedAt: string;
  modifiedBy: string;
}

/**
 * Persistence of folders, files and uploads in progress, in domain terms (implemented in
 * src/store/repositories/storage.ts). A method that answers false for a write that a constraint
 * refused has written nothing; inside a transaction, end it then (PostgreSQL refuses anything after).
 */
export interface StorageRepository {
  findFolder(id: string): Promise<Folder | undefined>;
  /** False when its parent folder (or iTwin) is gone. */
  insertFolder(folder: Folder): Promise<boolean>;
  /**
   * Display names of the folders from the one below the root down to `folderId` (the root itself
   * has no name in paths): `['a', 'b']` for a folder b in a folder a at the root.
   */
  folderPath(folderId: string): Promise<string[]>;
  /**
   * The content of a folder: folders first, then files, each oldest first (ties by id), so paging
   * is stable; one beyond the page. `kind` narrows it to folders or files.
   */
  listFolder(folderId: string, kind: ListKind, page: Page): Promise<ListedItem[]>;
  /**
   * Deletes the folder with every folder and file below it, at any depth. Source files that named
   * one of its files keep the file's name as their last known file name. Returns the ids of the
   * files deleted (their content lives outside the store), undefined when the folder is gone.
   */
  deleteFolder(id: string): Promise<string[] | undefined>;

  /** Changes what is given (name, description). */
  updateFolder(id: string, changes: { displayName?: string; description?: string | null }): Promise<void>;
  findFile(id: string): Promise<StorageFile | undefined>;
  /** False when its folder (or iTwin) is gone. */
  insertFile(file: StorageFile): Promise<boolean>;
  /** Changes what is given (name, description) and records who changed it when. */
  updateFile(id: string, changes: { displayName?: string; description?: string | null; modifiedAt: string; modifiedBy: string }): Promise<void>;
  /**
   * Makes `content.version` the file's current content, if the content is still at the version
   * before it (so two completes of one upload cannot both count). Returns whether it did.
   */
  setFileContent(id: string, content: FileContent): Promise<boolean>;
  /**
   * Deletes the file with its uploads. Source files that named it keep its name as their last
   * known file name. False when it is gone (nothing written).
   */
  deleteFile(id: string): Promise<boolean>;
  /** Ids of every file of the iTwin (their content lives outside the store). */
  fileIdsOf(itwinId: string): Promise<string[]>;

  /** Opens the upload of `version` of a file, unless it is open already (a second URL for it reuses it). */
  openUpload(upload: { fileId: string; version: number; createdAt: string; createdBy: string }): Promise<void>;
  findUpload(fileId: string, version: number): Promise<Upload | undefined>;
  /**
   * Records a whole body for an upload that is not completed yet, if its staged content is still
   * `key.previous` (compare-and-set: of two simultaneous PUTs each replaces exactly what it saw, so
   * every staged file that loses is known to the PUT that replaced it). Returns whether it did.
   */
  recordUploadedContent(
    key: { fileId: string; version: number; previous: string | null },
    content: { stagedName: string; size: number; hash: string; uploadedAt: string },
  ): Promise<boolean>;
  /** Marks the upload completed if its staged content is still `stagedName`; returns whether it did. */
  completeUpload(fileId: string, version: number, stagedName: string, completedAt: string): Promise<boolean>;
}
