import type { App, AppContext } from '../../context.js';
import { createStorageConnectionRoute } from './create-storage-connection.js';
import { deleteStorageConnectionRoute } from './delete-storage-connection.js';
import { getStorageConnectionRoute } from './get-storage-connection.js';
import { getConnectionsRoute, getStorageConnectionsRoute } from './get-storage-connections.js';
import { updateStorageConnectionRoute } from './update-storage-connection.js';

/** Storage Connection operations of the Synchronization API. */
export function storageConnectionRoutes(app: App, ctx: AppContext): void {
  createStorageConnectionRoute(app, ctx);
  getStorageConnectionRoute(app, ctx);
  getStorageConnectionsRoute(app, ctx);
  getConnectionsRoute(app, ctx);
  updateStorageConnectionRoute(app, ctx);
  deleteStorageConnectionRoute(app, ctx);
}
