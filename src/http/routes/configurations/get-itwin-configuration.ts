import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { getConfigurationRoute } from './configuration-route.js';
import { ITWIN } from './levels.js';

export function getITwinConfigurationRoute(app: App, ctx: AppContext): void {
  getConfigurationRoute(app, ctx, operations.getITwinConfiguration, ITWIN);
}
