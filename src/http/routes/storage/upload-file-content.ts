import { Readable } from 'node:stream';
import type { StorageContext } from '../../../domain/storage/context.js';
import { ApiError } from '../../../domain/errors.js';
import { uploadFileContent } from '../../../domain/storage/upload-file-content.js';
import { UploadSlots } from '../../../domain/storage/upload-slots.js';
import { type App, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { errorResponses } from '../../schemas/common.js';
import { FileParams, UploadQuery } from '../../schemas/storage.js';

const RETRY_UPLOAD_AFTER_SECONDS = 10;

/**
 * PUT to a signed upload URL, with no bearer token (the URL is the credential). Registered in its
 * own plugin scope whose only body parser hands the raw stream over, whatever the Content-Type, so
 * the body is never buffered (a JSON file is content here, not a request to parse). A refused
 * upload closes the connection rather than reading a body nobody wants. The body has an idle limit
 * and no total one (plugins/client-timeouts.ts); `uploadsPerCaller` bodies stream at once per user.
 */
export function uploadFileContentRoute(app: App, storage: StorageContext, uploadsPerCaller: number): void {
  const slots = new UploadSlots(uploadsPerCaller);
  app.register(async (scope: App) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    const operation = operations.uploadFileContent;
    scope.route({
      ...fromTable(operation),
      schema: {
        operationId: operation.id,
        summary: 'Upload file content',
        description:
          'The uploadUrl of create file / update file content: PUT the raw bytes (x-ms-blob-type: BlockBlob accepted), ' +
          'no Authorization. 201 with no body once the whole content is stored; then POST completeUrl.',
        tags: ['Storage'],
        params: FileParams,
        querystring: UploadQuery,
        response: { 201: { description: 'Stored (not yet the file’s content: complete it). No body.' }, ...errorResponses(400, 403, 404, 408, 409, 413, 429) },
      },
      handler: async (request, reply) => {
        const query = request.query as { version?: string; expires?: string; signature?: string };
        const blobType = request.headers['x-ms-blob-type'];
        try {
          const stored = await uploadFileContent(
            storage,
            {
              fileId: request.params.fileId,
              ...query,
              blobType: Array.isArray(blobType) ? blobType[0] : blobType,
              contentLength: request.headers['content-length'],
              body: request.body instanceof Readable ? request.body : request.raw,
            },
            slots,
          );
          reply.removeHeader('content-type');
          return reply.status(201).header('etag', `"${stored.contentHash}"`).send();
        } catch (error) {
          reply.header('connection', 'close');
          // Another upload of this user's will end: uploads take a while, so not at once.
          if (error instanceof ApiError && error.code === 'TooManyConcurrentUploads') reply.header('retry-after', String(RETRY_UPLOAD_AFTER_SECONDS));
          throw error;
        }
      },
    });
  });
}
