import type { App, AppContext } from '../../context.js';
import { createIModelRoute } from './create-imodel.js';
import { deleteIModelRoute } from './delete-imodel.js';
import { getIModelRoute } from './get-imodel.js';
import { getIModelsRoute } from './get-imodels.js';
import { updateIModelRoute } from './update-imodel.js';

/** The part of the iModels API synchronization clients use (served for v1 and v2 media types). */
export function imodelRoutes(app: App, ctx: AppContext): void {
  createIModelRoute(app, ctx);
  getIModelRoute(app, ctx);
  getIModelsRoute(app, ctx);
  deleteIModelRoute(app, ctx);
  updateIModelRoute(app, ctx);
}
