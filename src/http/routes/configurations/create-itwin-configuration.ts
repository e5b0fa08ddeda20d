import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { ITwinConfigurationCreate } from '../../schemas/configuration.js';
import { createConfigurationRoute } from './configuration-route.js';
import { ITWIN } from './levels.js';

export function createITwinConfigurationRoute(app: App, ctx: AppContext): void {
  createConfigurationRoute(app, ctx, operations.createITwinConfiguration, ITWIN, ITwinConfigurationCreate);
}
