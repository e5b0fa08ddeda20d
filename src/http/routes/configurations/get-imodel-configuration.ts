import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { getConfigurationRoute } from './configuration-route.js';
import { IMODEL } from './levels.js';

export function getIModelConfigurationRoute(app: App, ctx: AppContext): void {
  getConfigurationRoute(app, ctx, operations.getIModelConfiguration, IMODEL);
}
