import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { deleteConfigurationRoute } from './configuration-route.js';
import { CONNECTION } from './levels.js';

export function deleteConnectionConfigurationRoute(app: App, ctx: AppContext): void {
  deleteConfigurationRoute(app, ctx, operations.deleteConnectionConfiguration, CONNECTION);
}
