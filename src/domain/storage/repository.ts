/** A folder to store: the iTwin's root folder has no parent. */
export interface NewFolder {
  id: string;
  iTwinId: string;
  parentFolderId: string | null;
  displayName: string;
  description: string | null;
  createdAt: string;
  createdBy: string;
}

/** Persistence of folders, files and uploads in progress, in domain terms (implemented in src/store/repositories/storage.ts). */
export interface StorageRepository {
  insertFolder(folder: NewFolder): Promise<void>;
  /** Ids of every file of the iTwin (their content lives outside the store). TODO(issue 11): more operations join. */
  fileIdsOf(itwinId: string): Promise<string[]>;
}
