import type { StorageContext } from '../../../domain/storage/context.js';
import type { App, AppContext } from '../../context.js';
import { completeFileCreationRoute } from './complete-file-creation.js';
import { createFileRoute } from './create-file.js';
import { createFolderRoute } from './create-folder.js';
import { deleteFileRoute } from './delete-file.js';
import { deleteFolderRoute } from './delete-folder.js';
import { downloadFileContentRoute } from './download-file-content.js';
import { downloadFileRoute } from './download-file.js';
import { getFileRoute } from './get-file.js';
import { getFilesInFolderRoute } from './get-files-in-folder.js';
import { getFolderRoute } from './get-folder.js';
import { getFoldersAndFilesInFolderRoute } from './get-folders-and-files-in-folder.js';
import { getFoldersInFolderRoute } from './get-folders-in-folder.js';
import { getTopLevelFoldersAndFilesRoute } from './get-top-level-folders-and-files.js';
import { updateFileContentRoute } from './update-file-content.js';
import { updateFileRoute } from './update-file.js';
import { updateFolderRoute } from './update-folder.js';
import { uploadFileContentRoute } from './upload-file-content.js';

/** The part of iTwin Storage synchronization clients use: folders, files, uploads by signed URL. */
export function storageRoutes(app: App, ctx: AppContext): void {
  const storage: StorageContext = {
    store: ctx.store,
    blobs: ctx.blobs,
    signer: ctx.signer,
    uploadLimitBytes: ctx.config.uploadLimitBytes,
    redirectDownloads: ctx.config.blobStore.downloads === 'redirect',
  };
  getTopLevelFoldersAndFilesRoute(app, ctx, storage);
  createFolderRoute(app, ctx, storage);
  getFolderRoute(app, ctx, storage);
  getFoldersAndFilesInFolderRoute(app, ctx, storage);
  getFilesInFolderRoute(app, ctx, storage);
  getFoldersInFolderRoute(app, ctx, storage);
  updateFolderRoute(app, ctx, storage);
  deleteFolderRoute(app, storage);
  createFileRoute(app, ctx, storage);
  uploadFileContentRoute(app, storage, ctx.config.uploadsPerCaller);
  completeFileCreationRoute(app, ctx, storage);
  updateFileContentRoute(app, ctx, storage);
  getFileRoute(app, ctx, storage);
  downloadFileRoute(app, ctx, storage);
  downloadFileContentRoute(app, storage);
  updateFileRoute(app, ctx, storage);
  deleteFileRoute(app, storage);
}
