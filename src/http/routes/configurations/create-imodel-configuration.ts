import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { IModelConfigurationCreate } from '../../schemas/configuration.js';
import { createConfigurationRoute } from './configuration-route.js';
import { IMODEL } from './levels.js';

export function createIModelConfigurationRoute(app: App, ctx: AppContext): void {
  createConfigurationRoute(app, ctx, operations.createIModelConfiguration, IMODEL, IModelConfigurationCreate);
}
