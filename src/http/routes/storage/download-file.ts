import type { StorageContext } from '../../../domain/storage/context.js';
import { downloadFile } from '../../../domain/storage/download-file.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { fileDownloadUrl } from '../../presenters/storage.js';
import { errorResponses } from '../../schemas/common.js';
import { FileParams } from '../../schemas/storage.js';

/**
 * The Storage API's download: a 302 whose Location is a signed, expiring URL of the file's current
 * content (no Authorization needed to follow it), or with an object store and BLOB_DOWNLOADS=redirect
 * the store's own signed URL. Any Accept is served: the documented one is an octet-stream type.
 */
export function downloadFileRoute(app: App, ctx: AppContext, storage: StorageContext): void {
  const operation = operations.downloadFile;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Download file',
      description:
        'A 302 to a signed URL of the current content that expires (UPLOAD_URL_TTL_SECONDS); follow it without Authorization. ' +
        '409 FileNotUploaded before the first upload is completed.',
      tags: ['Storage'],
      params: FileParams,
      response: {
        302: { description: 'Location: the signed URL of the content. No body.' },
        ...errorResponses(401, 403, 404, 409, 429),
      },
    },
    handler: async (request, reply) => {
      const target = await downloadFile(storage, callerOf(request), request.params.fileId);
      const location = 'objectStoreUrl' in target ? target.objectStoreUrl : fileDownloadUrl(ctx.config.publicUrl, target.grant);
      return reply.status(302).header('location', location).header('cache-control', 'no-store').send();
    },
  });
}
