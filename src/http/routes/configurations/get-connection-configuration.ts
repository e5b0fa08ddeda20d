import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { getConfigurationRoute } from './configuration-route.js';
import { CONNECTION } from './levels.js';

export function getConnectionConfigurationRoute(app: App, ctx: AppContext): void {
  getConfigurationRoute(app, ctx, operations.getConnectionConfiguration, CONNECTION);
}
