import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { IModelConfigurationPatch } from '../../schemas/configuration.js';
import { patchConfigurationRoute } from './configuration-route.js';
import { IMODEL } from './levels.js';

export function patchIModelConfigurationRoute(app: App, ctx: AppContext): void {
  patchConfigurationRoute(app, ctx, operations.patchIModelConfiguration, IMODEL, IModelConfigurationPatch);
}
