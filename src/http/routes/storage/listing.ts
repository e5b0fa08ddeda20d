import type { Paged } from '../../../domain/paging.js';
import type { StorageItem } from '../../../domain/storage/model.js';
import { listFolder, type ListKind } from '../../../domain/storage/list-folder.js';
import type { StorageContext } from '../../../domain/storage/context.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import type { Operation } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { collectionLinks } from '../../presenters/collection.js';
import { folderUrl, presentItem } from '../../presenters/storage.js';
import { errorResponses } from '../../schemas/common.js';
import { FolderParams } from '../../schemas/storage.js';
import { ContinuedPagingQuery } from '../../schemas/source-file.js';
import type { TSchema } from 'typebox';

/** What the three folder listings share: the folder's content, paged, under a kind-specific key. */
export function folderListingRoute(
  app: App,
  ctx: AppContext,
  storage: StorageContext,
  spec: { operation: Operation; summary: string; kind: ListKind; key: 'items' | 'files' | 'folders'; path: string; response: TSchema },
): void {
  app.route({
    ...fromTable(spec.operation),
    schema: {
      operationId: spec.operation.id,
      summary: spec.summary,
      tags: ['Storage'],
      params: FolderParams,
      querystring: ContinuedPagingQuery,
      response: { 200: spec.response, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const { folderId } = request.params as { folderId: string };
      const list = await listFolder(storage.store, callerOf(request), folderId, spec.kind, request.query as Record<string, unknown>);
      return {
        [spec.key]: presentItems(ctx.config.publicUrl, list),
        _links: collectionLinks(`${folderUrl(ctx.config.publicUrl, list.folderId)}${spec.path}`, {}, list),
      };
    },
  });
}

export function presentItems(publicUrl: string, list: Paged<StorageItem>) {
  return list.items.map((item) => presentItem(publicUrl, item));
}
