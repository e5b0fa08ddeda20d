import type { App, AppContext } from '../../context.js';
import { addManifestSourceFileRoute } from './add-manifest-connection-sourcefile.js';
import { createManifestConnectionRoute } from './create-manifest-connection.js';
import { createManifestConnectionRunRoute } from './create-manifest-connection-run.js';
import { deleteManifestConnectionRoute } from './delete-manifest-connection.js';
import { getManifestConnectionRoute } from './get-manifest-connection.js';
import { getManifestConnectionRunRoute } from './get-manifest-connection-run.js';
import { getManifestConnectionRunsRoute } from './get-manifest-connection-runs.js';
import { getManifestConnectionsRoute } from './get-manifest-connections.js';
import { getManifestSourceFileRoute } from './get-manifest-connection-sourcefile.js';
import { getManifestSourceFilesRoute } from './get-manifest-connection-sourcefiles.js';
import { removeManifestSourceFileRoute } from './remove-manifest-connection-sourcefile.js';
import { updateManifestConnectionRoute } from './update-manifest-connection.js';
import { updateManifestSourceFileRoute } from './update-manifest-connection-sourcefile.js';

/** Manifest Connection operations of the Synchronization API (docs/manifest-connections.md): connections, source files, runs. */
export function manifestConnectionRoutes(app: App, ctx: AppContext): void {
  createManifestConnectionRoute(app, ctx);
  getManifestConnectionRoute(app, ctx);
  getManifestConnectionsRoute(app, ctx);
  updateManifestConnectionRoute(app, ctx);
  deleteManifestConnectionRoute(app, ctx);
  addManifestSourceFileRoute(app, ctx);
  getManifestSourceFileRoute(app, ctx);
  getManifestSourceFilesRoute(app, ctx);
  updateManifestSourceFileRoute(app, ctx);
  removeManifestSourceFileRoute(app, ctx);
  createManifestConnectionRunRoute(app, ctx);
  getManifestConnectionRunRoute(app, ctx);
  getManifestConnectionRunsRoute(app, ctx);
}
