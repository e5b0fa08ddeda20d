import type { StorageContext } from '../../../domain/storage/context.js';
import { updateFileContent } from '../../../domain/storage/update-file-content.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentUploadLinks } from '../../presenters/storage.js';
import { errorResponses } from '../../schemas/common.js';
import { FileParams, UploadLinks } from '../../schemas/storage.js';

export function updateFileContentRoute(app: App, ctx: AppContext, storage: StorageContext): void {
  const operation = operations.updateFileContent;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Update file content',
      description: 'Upload and complete URLs for a new content version; the current content stays until complete.',
      tags: ['Storage'],
      params: FileParams,
      response: { 200: UploadLinks, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request) => presentUploadLinks(ctx.config.publicUrl, await updateFileContent(storage, callerOf(request), request.params.fileId)),
  });
}
