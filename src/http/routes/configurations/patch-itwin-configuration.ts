import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { ITwinConfigurationPatch } from '../../schemas/configuration.js';
import { patchConfigurationRoute } from './configuration-route.js';
import { ITWIN } from './levels.js';

export function patchITwinConfigurationRoute(app: App, ctx: AppContext): void {
  patchConfigurationRoute(app, ctx, operations.patchITwinConfiguration, ITWIN, ITwinConfigurationPatch);
}
