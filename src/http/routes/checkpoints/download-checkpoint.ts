import type { Checkpoints } from '../../../domain/versions/checkpoints.js';
import { errors } from '../../../domain/errors.js';
import { openCheckpointDownload } from '../../../domain/versions/open-checkpoint-download.js';
import { type App, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { errorResponses } from '../../schemas/common.js';
import { CheckpointFileParams, CheckpointFileQuery } from '../../schemas/version.js';
import { sendBlob } from '../../send-blob.js';

/**
 * A checkpoint's file, behind the signed URL of its `_links.download` (no bearer token: the URL is
 * the credential, as an Azure SAS URL is). Streamed from the blob store, never buffered; one byte
 * range on request (206), 416 when it starts past the end. With an object store and redirects on,
 * a 302 to the store's own short-lived signed URL: the bytes do not pass through the service.
 */
export function downloadCheckpointRoute(app: App, checkpoints: Checkpoints): void {
  const operation = operations.downloadCheckpoint;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Download Checkpoint file',
      description:
        'The `_links.download.href` of a checkpoint: a Snapshot iModel, as application/octet-stream. No Authorization. ' +
        'Accepts one `Range: bytes=a-b | a- | -n` (206 with Content-Range; 416 past the end).',
      tags: ['Checkpoints'],
      params: CheckpointFileParams,
      querystring: CheckpointFileQuery,
      response: {
        200: { description: 'The whole file (application/octet-stream).' },
        302: { description: 'With an object store (BLOB_DOWNLOADS=redirect): Location is its signed URL of the file. No body.' },
        206: { description: 'The range asked for (application/octet-stream), with Content-Range.' },
        416: { description: 'The range starts past the end: Content-Range gives the size. No body.' },
        ...errorResponses(403, 404, 429),
      },
    },
    handler: async (request, reply) => {
      const query = request.query as { expires?: string; signature?: string };
      const file = await openCheckpointDownload(checkpoints, { ...request.params, ...query });
      // An object store serves the bytes itself: the client follows to its signed URL (ranges included).
      if ('redirect' in file) return reply.status(302).header('location', file.redirect).header('cache-control', 'no-store').send();
      return sendBlob(request, reply, file, errors.checkpointNotFound);
    },
  });
}
