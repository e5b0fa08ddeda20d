import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { deleteConfigurationRoute } from './configuration-route.js';
import { IMODEL } from './levels.js';

export function deleteIModelConfigurationRoute(app: App, ctx: AppContext): void {
  deleteConfigurationRoute(app, ctx, operations.deleteIModelConfiguration, IMODEL);
}
