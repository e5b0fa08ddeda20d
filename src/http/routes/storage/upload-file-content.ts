import { Readable } from 'node:stream';
import type { StorageContext } from '../../../domain/storage/context.js';
import { ApiError } from '../../../domain/errors.js';
import { uploadFileContent } from '../../../domain/storage/upload-file-content.js';
import { putBlock, putBlockList } from '../../../domain/storage/upload-blocks.js';
import { errors } from '../../../domain/errors.js';
import { azureHeaders, sendAzureError } from './azure-replies.js';
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
          'The uploadUrl of create file / update file content, no Authorization. As an Azure Blob SAS URL: PUT the raw bytes ' +
          '(Put Blob; x-ms-blob-type: BlockBlob accepted), or in blocks: PUT each block with comp=block&blockid=… (Put Block), ' +
          'then PUT the XML <BlockList> with comp=blocklist (Put Block List), whose blocks in order become the content. ' +
          '201 with no body once stored; then POST completeUrl. Requests with x-ms-version get Azure’s XML error bodies.',
        tags: ['Storage'],
        params: FileParams,
        querystring: UploadQuery,
        response: { 201: { description: 'Stored (not yet the file’s content: complete it). No body.' }, ...errorResponses(400, 403, 404, 408, 409, 413, 429) },
      },
      handler: async (request, reply) => {
        const query = request.query as { version?: string; expires?: string; signature?: string; comp?: string; blockid?: string };
        const header = (name: string) => {
          const value = request.headers[name];
          return Array.isArray(value) ? value[0] : value;
        };
        const common = {
          fileId: request.params.fileId,
          version: query.version,
          expires: query.expires,
          signature: query.signature,
          contentLength: header('content-length'),
          body: request.body instanceof Readable ? request.body : request.raw,
        };
        // Azure's clients send x-ms-version and read Azure's headers and XML error bodies; others get ours.
        const azure = header('x-ms-version') !== undefined;
        try {
          const comp = query.comp?.toLowerCase();
          const stored =
            comp === undefined
              ? await uploadFileContent(storage, { ...common, blobType: header('x-ms-blob-type') }, slots)
              : comp === 'block'
                ? await putBlock(storage, { ...common, blockId: query.blockid }, slots)
                : comp === 'blocklist'
                  ? await putBlockList(storage, common, slots)
                  : await Promise.reject(errors.unsupportedUploadOperation());
          reply.removeHeader('content-type');
          azureHeaders(reply, azure);
          // A block is not content yet: Azure gives it no ETag.
          if (comp !== 'block') reply.header('etag', `"${stored.contentHash}"`).header('last-modified', new Date().toUTCString());
          return reply.status(201).send();
        } catch (error) {
          reply.header('connection', 'close');
          // Another upload of this user's will end: uploads take a while, so not at once.
          if (error instanceof ApiError && error.code === 'TooManyConcurrentUploads') reply.header('retry-after', String(RETRY_UPLOAD_AFTER_SECONDS));
          if (azure && error instanceof ApiError && error.status < 500) return sendAzureError(reply, error);
          throw error;
        }
      },
    });
  });
}
