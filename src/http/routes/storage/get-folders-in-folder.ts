import type { StorageContext } from '../../../domain/storage/context.js';
import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { FolderList } from '../../schemas/storage.js';
import { folderListingRoute } from './listing.js';

export function getFoldersInFolderRoute(app: App, ctx: AppContext, storage: StorageContext): void {
  folderListingRoute(app, ctx, storage, {
    operation: operations.getFoldersInFolder,
    summary: 'Get folders in folder',
    kind: 'folders',
    key: 'folders',
    path: '/folders',
    response: FolderList,
  });
}
