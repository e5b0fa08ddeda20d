import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { ConnectionConfigurationCreate } from '../../schemas/configuration.js';
import { createConfigurationRoute } from './configuration-route.js';
import { CONNECTION } from './levels.js';

export function createConnectionConfigurationRoute(app: App, ctx: AppContext): void {
  createConfigurationRoute(app, ctx, operations.createConnectionConfiguration, CONNECTION, ConnectionConfigurationCreate);
}
