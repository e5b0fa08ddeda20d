import type { StorageContext } from '../../../domain/storage/context.js';
import { deleteFile } from '../../../domain/storage/delete-file.js';
import { type App, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { noContent } from '../../presenters/no-content.js';
import { errorResponses } from '../../schemas/common.js';
import { FileParams } from '../../schemas/storage.js';

export function deleteFileRoute(app: App, storage: StorageContext): void {
  const operation = operations.deleteFile;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Delete file',
      tags: ['Storage'],
      params: FileParams,
      response: { 204: { type: 'null', description: 'Deleted. No body and no Content-Type.' }, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request, reply) => {
      await deleteFile(storage, callerOf(request), request.params.fileId);
      return noContent(reply);
    },
  });
}
