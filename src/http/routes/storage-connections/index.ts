import type { App, AppContext } from '../../context.js';
import { createStorageConnectionRoute } from './create-storage-connection.js';

/** Storage Connection operations of the Synchronization API. */
export function storageConnectionRoutes(app: App, ctx: AppContext): void {
  createStorageConnectionRoute(app, ctx);
}
