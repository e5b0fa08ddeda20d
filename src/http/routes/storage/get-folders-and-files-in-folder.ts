import type { StorageContext } from '../../../domain/storage/context.js';
import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { ItemList } from '../../schemas/storage.js';
import { folderListingRoute } from './listing.js';

export function getFoldersAndFilesInFolderRoute(app: App, ctx: AppContext, storage: StorageContext): void {
  folderListingRoute(app, ctx, storage, {
    operation: operations.getFolderItems,
    summary: 'Get folders and files in folder',
    kind: 'all',
    key: 'items',
    path: '/list',
    response: ItemList,
  });
}
