import type { App, AppContext } from '../../context.js';
import { createITwinRoute } from './create-itwin.js';
import { createRepositoryRoute } from './create-repository.js';
import { deleteRepositoryRoute } from './delete-repository.js';
import { getRepositoriesRoute } from './get-repositories-by-itwin-id.js';
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
  createRepositoryRoute(app, ctx);
  getRepositoriesRoute(app, ctx);
  deleteRepositoryRoute(app, ctx);
}
