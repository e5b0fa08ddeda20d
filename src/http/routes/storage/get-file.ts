import type { StorageContext } from '../../../domain/storage/context.js';
import { getFile } from '../../../domain/storage/get-file.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentFile } from '../../presenters/storage.js';
import { errorResponses } from '../../schemas/common.js';
import { FileParams, FileResponse } from '../../schemas/storage.js';

export function getFileRoute(app: App, ctx: AppContext, storage: StorageContext): void {
  const operation = operations.getFile;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get file',
      tags: ['Storage'],
      params: FileParams,
      response: { 200: FileResponse, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request) => ({
      file: presentFile(ctx.config.publicUrl, await getFile(storage.store, callerOf(request), request.params.fileId)),
    }),
  });
}
