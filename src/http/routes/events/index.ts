import type { App, AppContext } from '../../context.js';
import { getIModelSynchronizationEventsRoute } from './get-imodel-synchronization-events.js';
import { getStorageConnectionRunEventsRoute } from './get-storage-connection-run-events.js';
import { registerStreamShutdown } from './stream.js';

/** Live state changes of runs as server-sent events (docs/webhooks.md). */
export function eventStreamRoutes(app: App, ctx: AppContext): void {
  registerStreamShutdown(app);
  getStorageConnectionRunEventsRoute(app, ctx);
  getIModelSynchronizationEventsRoute(app, ctx);
}
