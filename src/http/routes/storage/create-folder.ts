import type { StorageContext } from '../../../domain/storage/context.js';
import { createFolder } from '../../../domain/storage/create-folder.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { folderUrl, presentFolder } from '../../presenters/storage.js';
import { errorResponses } from '../../schemas/common.js';
import { FolderParams, FolderResponse, ItemCreate } from '../../schemas/storage.js';
import { domainChecksBody } from '../../validation.js';

export function createFolderRoute(app: App, ctx: AppContext, storage: StorageContext): void {
  const operation = operations.createFolder;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Create folder',
      tags: ['Storage'],
      params: FolderParams,
      body: ItemCreate,
      response: { 201: FolderResponse, ...errorResponses(401, 403, 404, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const folder = await createFolder(storage.store, callerOf(request), request.params.folderId, request.body);
      return reply
        .status(201)
        .header('location', folderUrl(ctx.config.publicUrl, folder.id))
        .send({ folder: presentFolder(ctx.config.publicUrl, folder) });
    },
  });
}
