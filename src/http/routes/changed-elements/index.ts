import type { App, AppContext } from '../../context.js';
import { enableChangeTrackingRoute } from './enable-change-tracking.js';
import { getChangesetsRoute } from './get-changesets.js';
import { getComparisonRoute } from './get-comparison.js';
import { getTrackingRoute } from './get-tracking.js';

/** The Changed Elements API: what changed between versions, element by element (docs/changed-elements.md). */
export function changedElementsRoutes(app: App, ctx: AppContext): void {
  enableChangeTrackingRoute(app, ctx);
  getTrackingRoute(app, ctx);
  getChangesetsRoute(app, ctx);
  getComparisonRoute(app, ctx);
}
