import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { deleteConfigurationRoute } from './configuration-route.js';
import { ITWIN } from './levels.js';

export function deleteITwinConfigurationRoute(app: App, ctx: AppContext): void {
  deleteConfigurationRoute(app, ctx, operations.deleteITwinConfiguration, ITWIN);
}
