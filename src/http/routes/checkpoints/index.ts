import { UploadSigner } from '../../../domain/storage/upload-signing.js';
import { Checkpoints } from '../../../domain/versions/checkpoints.js';
import type { App, AppContext } from '../../context.js';
import { downloadCheckpointRoute } from './download-checkpoint.js';
import { getBriefcaseCheckpointRoute } from './get-briefcase-checkpoint.js';
import { getChangesetCheckpointRoute } from './get-changeset-checkpoint.js';
import { getLatestCheckpointRoute } from './get-latest-checkpoint.js';
import { getNamedVersionCheckpointRoute } from './get-named-version-checkpoint.js';

/**
 * Checkpoints and their files. Download URLs are signed with the upload URLs' key and lifetime
 * (UPLOAD_URL_TTL_SECONDS), so any process on the DATA_DIR serves a URL another one gave.
 */
export function checkpointRoutes(app: App, ctx: AppContext): void {
  const signer = UploadSigner.load(ctx.config.dataDir, ctx.config.uploadUrlTtlSeconds);
  const checkpoints = new Checkpoints(ctx.store, ctx.blobs, signer, ctx.checkpointMaker, { redirectDownloads: ctx.config.blobStore.downloads === 'redirect' });
  getChangesetCheckpointRoute(app, ctx, checkpoints);
  getNamedVersionCheckpointRoute(app, ctx, checkpoints);
  getBriefcaseCheckpointRoute(app, ctx, checkpoints);
  getLatestCheckpointRoute(app, ctx, checkpoints);
  downloadCheckpointRoute(app, checkpoints);
}
