import type { StorageContext } from '../../../domain/storage/context.js';
import { listTopLevel } from '../../../domain/storage/list-folder.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { collectionLinks } from '../../presenters/collection.js';
import { folderUrl } from '../../presenters/storage.js';
import { errorResponses } from '../../schemas/common.js';
import { TopLevelList, TopLevelQuery } from '../../schemas/storage.js';
import { presentItems } from './listing.js';

/**
 * `GET /storage/?iTwinId=` (or the legacy `projectId=`): the root folder's content, and the root
 * folder itself as `_links.folder` (clients take its id as the last path segment).
 */
export function getTopLevelFoldersAndFilesRoute(app: App, ctx: AppContext, storage: StorageContext): void {
  const operation = operations.getTopLevelItems;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get top level folders and files by iTwin',
      tags: ['Storage'],
      querystring: TopLevelQuery,
      response: { 200: TopLevelList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const list = await listTopLevel(storage.store, callerOf(request), request.query as Record<string, unknown>);
      return {
        items: presentItems(ctx.config.publicUrl, list),
        _links: {
          folder: { href: folderUrl(ctx.config.publicUrl, list.folderId) },
          ...collectionLinks(`${ctx.config.publicUrl}/storage/`, list.filter, list),
        },
      };
    },
  });
}
