import type { StorageContext } from '../../../domain/storage/context.js';
import { getFolder } from '../../../domain/storage/get-folder.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentFolder } from '../../presenters/storage.js';
import { errorResponses } from '../../schemas/common.js';
import { FolderParams, FolderResponse } from '../../schemas/storage.js';

export function getFolderRoute(app: App, ctx: AppContext, storage: StorageContext): void {
  const operation = operations.getFolder;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get folder',
      tags: ['Storage'],
      params: FolderParams,
      response: { 200: FolderResponse, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request) => ({
      folder: presentFolder(ctx.config.publicUrl, await getFolder(storage.store, callerOf(request), request.params.folderId)),
    }),
  });
}
