import { ModelExports } from '../../../domain/model-view/model-exports.js';
import type { App, AppContext } from '../../context.js';
import { getModelCategoriesRoute } from './get-model-categories.js';
import { getModelChangesRoute } from './get-model-changes.js';
import { getModelElementRoute } from './get-model-element.js';
import { getModelElementsRoute } from './get-model-elements.js';
import { getModelGraphicsRoute } from './get-model-graphics.js';
import { getModelVersionsRoute } from './get-model-versions.js';

/**
 * The model of a version, for a web page (docs/model-view.md): its graphics, elements, categories
 * and element details exported from its checkpoint once (iTwin.js in a child process) and kept in
 * the blob store, and what changed since an earlier version.
 */
export function modelViewRoutes(app: App, ctx: AppContext): void {
  const exports = new ModelExports(ctx.store, ctx.blobs, ctx.modelExporter, ctx.config.dataDir);
  getModelVersionsRoute(app, ctx);
  getModelGraphicsRoute(app, exports);
  getModelElementsRoute(app, exports);
  getModelElementRoute(app, exports);
  getModelCategoriesRoute(app, exports);
  getModelChangesRoute(app, ctx);
}
