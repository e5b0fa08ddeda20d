import type { App, AppContext } from '../../context.js';
import { getStorageConnectionRunRoute } from './get-storage-connection-run.js';
import { getStorageConnectionRunsRoute } from './get-storage-connection-runs.js';
import { runStorageConnectionRoute } from './run-storage-connection.js';

/** Run operations of a storage connection. */
export function runRoutes(app: App, ctx: AppContext): void {
  runStorageConnectionRoute(app, ctx);
  getStorageConnectionRunRoute(app, ctx);
  getStorageConnectionRunsRoute(app, ctx);
}
