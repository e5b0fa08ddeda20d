import type { App, AppContext } from '../../context.js';
import { getHealthLiveRoute } from './get-health-live.js';
import { getHealthReadyRoute } from './get-health-ready.js';
import type { Readiness } from './readiness.js';

/** Probes for load balancers and orchestrators (docs/operations.md). */
export function healthRoutes(app: App, ctx: Pick<AppContext, 'config'>, ready: Readiness): void {
  getHealthLiveRoute(app, ctx);
  getHealthReadyRoute(app, ctx, ready);
}
