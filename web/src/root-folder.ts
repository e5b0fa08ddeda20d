import { get } from './api/client';
import { paths } from './api/paths';
import { useResource } from './use-resource';

/** The iTwin's root folder: where the page uploads (Storage API; connections take files from any folder). */
export function useRootFolder(iTwinId: string) {
  return useResource(`root:${iTwinId}`, () =>
    get<{ _links: { folder: { href: string } } }>(paths.storageTop(iTwinId)).then((top) => top._links.folder.href.split('/').pop()!),
  );
}
