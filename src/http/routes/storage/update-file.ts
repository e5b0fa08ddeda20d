import type { StorageContext } from '../../../domain/storage/context.js';
import { updateFile } from '../../../domain/storage/update-file.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentFile } from '../../presenters/storage.js';
import { errorResponses } from '../../schemas/common.js';
import { FileParams, FileResponse, ItemUpdate } from '../../schemas/storage.js';
import { domainChecksBody } from '../../validation.js';

export function updateFileRoute(app: App, ctx: AppContext, storage: StorageContext): void {
  const operation = operations.updateFile;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Update file',
      description: 'Renames the file or changes its description; absent properties stay as they are.',
      tags: ['Storage'],
      params: FileParams,
      body: ItemUpdate,
      response: { 200: FileResponse, ...errorResponses(401, 403, 404, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request) => ({
      file: presentFile(ctx.config.publicUrl, await updateFile(storage.store, callerOf(request), request.params.fileId, request.body)),
    }),
  });
}
