import type { StorageContext } from '../../../domain/storage/context.js';
import { errors } from '../../../domain/errors.js';
import { openFileDownload } from '../../../domain/storage/download-file.js';
import { type App, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { errorResponses } from '../../schemas/common.js';
import { sendBlob } from '../../send-blob.js';
import { DownloadQuery, FileParams } from '../../schemas/storage.js';

/**
 * Where download-file's Location points: one content version of a file, behind a signed URL (no
 * bearer token; the URL is the credential, as an Azure SAS URL is). Streamed from the blob store
 * with one byte range on request, as checkpoint files are.
 */
export function downloadFileContentRoute(app: App, storage: StorageContext): void {
  const operation = operations.downloadFileContent;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Download file content',
      description:
        'The Location of download file, no Authorization: the content as application/octet-stream. ' +
        'Accepts one `Range: bytes=a-b | a- | -n` (206 with Content-Range; 416 past the end). 403 when the URL is altered or expired.',
      tags: ['Storage'],
      params: FileParams,
      querystring: DownloadQuery,
      response: {
        200: { description: 'The whole content (application/octet-stream).' },
        206: { description: 'The range asked for (application/octet-stream), with Content-Range.' },
        302: { description: 'With an object store (BLOB_DOWNLOADS=redirect): Location is its signed URL of the content. No body.' },
        416: { description: 'The range starts past the end: Content-Range gives the size. No body.' },
        ...errorResponses(403, 404, 429),
      },
    },
    handler: async (request, reply) => {
      const query = request.query as { version?: string; expires?: string; signature?: string };
      const content = await openFileDownload(storage, { fileId: request.params.fileId, ...query });
      if ('redirect' in content) return reply.status(302).header('location', content.redirect).header('cache-control', 'no-store').send();
      return sendBlob(request, reply, content, errors.fileNotFound, { fileName: content.fileName });
    },
  });
}
