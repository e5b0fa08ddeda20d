import { completeFileCreation } from '../../../domain/storage/complete-file-creation.js';
import type { StorageContext } from '../../../domain/storage/context.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentFile } from '../../presenters/storage.js';
import { errorResponses } from '../../schemas/common.js';
import { FileParams, FileResponse } from '../../schemas/storage.js';

export function completeFileCreationRoute(app: App, ctx: AppContext, storage: StorageContext): void {
  const operation = operations.completeFileCreation;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Complete file creation',
      description: 'Makes the uploaded content the file’s current version. No body. Safe to retry.',
      tags: ['Storage'],
      params: FileParams,
      response: { 200: FileResponse, ...errorResponses(401, 403, 404, 406, 409, 429) },
    },
    handler: async (request) => ({
      file: presentFile(ctx.config.publicUrl, await completeFileCreation(storage, callerOf(request), request.params.fileId)),
    }),
  });
}
