import { Checkpoints } from '../../../domain/versions/checkpoints.js';
import type { App, AppContext } from '../../context.js';
import { downloadCheckpointRoute } from './download-checkpoint.js';
import { getBriefcaseCheckpointRoute } from './get-briefcase-checkpoint.js';
import { getChangesetCheckpointRoute } from './get-changeset-checkpoint.js';
import { getLatestCheckpointRoute } from './get-latest-checkpoint.js';
import { getNamedVersionCheckpointRoute } from './get-named-version-checkpoint.js';

/**
 * Checkpoints and their files. Download URLs are signed with the upload URLs' key and lifetime
 * (UPLOAD_URL_TTL_SECONDS), so any process of the deployment serves a URL another one gave.
 */
export function checkpointRoutes(app: App, ctx: AppContext): void {
  const checkpoints = new Checkpoints(ctx.store, ctx.blobs, ctx.signer, ctx.checkpointMaker, {
    redirectDownloads: ctx.config.blobStore.downloads === 'redirect',
  });
  getChangesetCheckpointRoute(app, ctx, checkpoints);
  getNamedVersionCheckpointRoute(app, ctx, checkpoints);
  getBriefcaseCheckpointRoute(app, ctx, checkpoints);
  getLatestCheckpointRoute(app, ctx, checkpoints);
  downloadCheckpointRoute(app, checkpoints);
}
