import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { ConnectionConfigurationPatch } from '../../schemas/configuration.js';
import { patchConfigurationRoute } from './configuration-route.js';
import { CONNECTION } from './levels.js';

export function patchConnectionConfigurationRoute(app: App, ctx: AppContext): void {
  patchConfigurationRoute(app, ctx, operations.patchConnectionConfiguration, CONNECTION, ConnectionConfigurationPatch);
}
