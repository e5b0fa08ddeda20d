import type { App, AppContext } from '../../context.js';
import { createNamedVersionRoute } from './create-named-version.js';
import { getNamedVersionRoute } from './get-named-version.js';
import { getNamedVersionsRoute } from './get-named-versions.js';
import { updateNamedVersionRoute } from './update-named-version.js';

/** The iModels API's named versions: names on changesets, or on the baseline. */
export function namedVersionRoutes(app: App, ctx: AppContext): void {
  createNamedVersionRoute(app, ctx);
  getNamedVersionsRoute(app, ctx);
  getNamedVersionRoute(app, ctx);
  updateNamedVersionRoute(app, ctx);
}
