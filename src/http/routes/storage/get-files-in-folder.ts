import type { StorageContext } from '../../../domain/storage/context.js';
import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { FileList } from '../../schemas/storage.js';
import { folderListingRoute } from './listing.js';

export function getFilesInFolderRoute(app: App, ctx: AppContext, storage: StorageContext): void {
  folderListingRoute(app, ctx, storage, {
    operation: operations.getFilesInFolder,
    summary: 'Get files in folder',
    kind: 'files',
    key: 'files',
    path: '/files',
    response: FileList,
  });
}
