import type { App, AppContext } from '../../context.js';
import { addSourceFileRoute } from './add-source-file.js';
import { getSourceFileRoute } from './get-source-file.js';
import { getSourceFilesRoute } from './get-source-files.js';
import { removeSourceFileRoute } from './remove-source-file.js';
import { updateSourceFileRoute } from './update-source-file.js';

/** Source File operations under a storage connection. */
export function sourceFileRoutes(app: App, ctx: AppContext): void {
  addSourceFileRoute(app, ctx);
  getSourceFileRoute(app, ctx);
  getSourceFilesRoute(app, ctx);
  updateSourceFileRoute(app, ctx);
  removeSourceFileRoute(app, ctx);
}
