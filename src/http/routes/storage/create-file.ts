import type { StorageContext } from '../../../domain/storage/context.js';
import { createFile } from '../../../domain/storage/create-file.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentUploadLinks } from '../../presenters/storage.js';
import { errorResponses } from '../../schemas/common.js';
import { FolderParams, ItemCreate, UploadLinks } from '../../schemas/storage.js';
import { domainChecksBody } from '../../validation.js';

/** Step one of three: 202 with the signed `uploadUrl` (no bearer token needed) and the `completeUrl`. */
export function createFileRoute(app: App, ctx: AppContext, storage: StorageContext): void {
  const operation = operations.createFile;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Create file',
      description: 'Creates the file’s metadata. Then PUT the content to uploadUrl and POST completeUrl.',
      tags: ['Storage'],
      params: FolderParams,
      body: ItemCreate,
      response: { 202: UploadLinks, ...errorResponses(401, 403, 404, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const grant = await createFile(storage, callerOf(request), request.params.folderId, request.body);
      return reply.status(202).send(presentUploadLinks(ctx.config.publicUrl, grant));
    },
  });
}
