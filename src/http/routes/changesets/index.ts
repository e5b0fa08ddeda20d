import type { App, AppContext } from '../../context.js';
import { getChangesetRoute } from './get-changeset.js';
import { getChangesetsRoute } from './get-changesets.js';

/** The iModels API's changesets: one per successful synchronization task (docs/versions.md). */
export function changesetRoutes(app: App, ctx: AppContext): void {
  getChangesetsRoute(app, ctx);
  getChangesetRoute(app, ctx);
}
