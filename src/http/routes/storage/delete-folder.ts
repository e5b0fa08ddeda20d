import type { StorageContext } from '../../../domain/storage/context.js';
import { deleteFolder } from '../../../domain/storage/delete-folder.js';
import { type App, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { noContent } from '../../presenters/no-content.js';
import { errorResponses } from '../../schemas/common.js';
import { FolderParams } from '../../schemas/storage.js';

export function deleteFolderRoute(app: App, storage: StorageContext): void {
  const operation = operations.deleteFolder;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Delete folder',
      description: 'Deletes the folder with everything in it. The root folder cannot be deleted (409).',
      tags: ['Storage'],
      params: FolderParams,
      response: { 204: { type: 'null', description: 'Deleted. No body and no Content-Type.' }, ...errorResponses(401, 403, 404, 406, 409, 429) },
    },
    handler: async (request, reply) => {
      await deleteFolder(storage, callerOf(request), request.params.folderId);
      return noContent(reply);
    },
  });
}
