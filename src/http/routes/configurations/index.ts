import type { App, AppContext } from '../../context.js';
import { createITwinConfigurationRoute } from './create-itwin-configuration.js';
import { getITwinConfigurationRoute } from './get-itwin-configuration.js';
import { patchITwinConfigurationRoute } from './patch-itwin-configuration.js';
import { deleteITwinConfigurationRoute } from './delete-itwin-configuration.js';
import { createIModelConfigurationRoute } from './create-imodel-configuration.js';
import { getIModelConfigurationRoute } from './get-imodel-configuration.js';
import { patchIModelConfigurationRoute } from './patch-imodel-configuration.js';
import { deleteIModelConfigurationRoute } from './delete-imodel-configuration.js';
import { createConnectionConfigurationRoute } from './create-connection-configuration.js';
import { getConnectionConfigurationRoute } from './get-connection-configuration.js';
import { patchConnectionConfigurationRoute } from './patch-connection-configuration.js';
import { deleteConnectionConfigurationRoute } from './delete-connection-configuration.js';

/** Configurations of the Synchronization API: four operations at each of three scopes. */
export function configurationRoutes(app: App, ctx: AppContext): void {
  createITwinConfigurationRoute(app, ctx);
  getITwinConfigurationRoute(app, ctx);
  patchITwinConfigurationRoute(app, ctx);
  deleteITwinConfigurationRoute(app, ctx);
  createIModelConfigurationRoute(app, ctx);
  getIModelConfigurationRoute(app, ctx);
  patchIModelConfigurationRoute(app, ctx);
  deleteIModelConfigurationRoute(app, ctx);
  createConnectionConfigurationRoute(app, ctx);
  getConnectionConfigurationRoute(app, ctx);
  patchConnectionConfigurationRoute(app, ctx);
  deleteConnectionConfigurationRoute(app, ctx);
}
