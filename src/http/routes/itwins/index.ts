import type { App, AppContext } from '../../context.js';
import { createITwinRoute } from './create-itwin.js';
import { deleteITwinRoute } from './delete-itwin.js';
import { getITwinRoute } from './get-itwin.js';
import { getMyITwinsRoute } from './get-my-itwins.js';
import { updateITwinRoute } from './update-itwin.js';

/** The part of the iTwins API synchronization clients use. */
export function itwinRoutes(app: App, ctx: AppContext): void {
  createITwinRoute(app, ctx);
  getITwinRoute(app, ctx);
  getMyITwinsRoute(app, ctx);
  updateITwinRoute(app, ctx);
  deleteITwinRoute(app, ctx);
}
