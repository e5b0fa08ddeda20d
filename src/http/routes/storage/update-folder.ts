import type { StorageContext } from '../../../domain/storage/context.js';
import { updateFolder } from '../../../domain/storage/update-folder.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentFolder } from '../../presenters/storage.js';
import { errorResponses } from '../../schemas/common.js';
import { FolderParams, FolderResponse, ItemUpdate } from '../../schemas/storage.js';
import { domainChecksBody } from '../../validation.js';

export function updateFolderRoute(app: App, ctx: AppContext, storage: StorageContext): void {
  const operation = operations.updateFolder;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Update folder',
      description: 'Renames the folder or changes its description; absent properties stay as they are.',
      tags: ['Storage'],
      params: FolderParams,
      body: ItemUpdate,
      response: { 200: FolderResponse, ...errorResponses(401, 403, 404, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request) => ({
      folder: presentFolder(ctx.config.publicUrl, await updateFolder(storage.store, callerOf(request), request.params.folderId, request.body)),
    }),
  });
}
