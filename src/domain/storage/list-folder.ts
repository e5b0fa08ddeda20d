import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { itwinForMember } from '../itwins/access.js';
import { parsePage, toPaged, type Keyset, type Page, type Paged } from '../paging.js';
import { property } from '../request-body.js';
import type { Store } from '../store.js';
import { folderForMember } from './access.js';
import { listedItem, type ListedItem, type ListKind, type StorageItem } from './model.js';

export type { ListKind } from './model.js';

/** The store orders a folder's listing folders first, then by creation time and id. */
const foldersFirst: Keyset<ListedItem> = {
  name: 'storage',
  shape: ['number', 'string', 'string'],
  keyOf: (item) => (item.type === 'folder' ? [0, item.folder.createdAt, item.folder.id] : [1, item.file.createdAt, item.file.id]),
};

export interface FolderListing extends Paged<StorageItem> {
  folderId: string;
}

/** Folders and files directly in a folder (folders first), or only one kind of them. */
export async function listFolder(store: Store, caller: Caller, folderId: string, kind: ListKind, query: Record<string, unknown>): Promise<FolderListing> {
  const folder = await folderForMember(store, caller, folderId);
  const page = readPage(query);
  return listing(store, folder.id, kind, page);
}

export interface TopLevelListing extends FolderListing {
  /** The query name the iTwin was given by (`iTwinId` or the legacy `projectId`), for the paging links. */
  filter: Record<string, string>;
}

/** The root folder of an iTwin and what is in it: `GET /storage/?iTwinId=` (or the legacy `projectId=`). */
export async function listTopLevel(store: Store, caller: Caller, query: Record<string, unknown>): Promise<TopLevelListing> {
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details, foldersFirst);
  const byITwin = property(query, 'iTwinId');
  const byProject = property(query, 'projectId');
  const [name, raw] = typeof byITwin === 'string' && byITwin !== '' ? ['iTwinId', byITwin] : ['projectId', byProject];
  if (typeof raw !== 'string' || raw === '') {
    details.push({ code: 'MissingRequiredProperty', message: 'Required property is missing.', target: 'iTwinId' });
  }
  if (details.length > 0) throw errors.invalidStorageRequest(details);
  const itwin = await itwinForMember(store, caller, raw as string, 'storage_read');
  return { ...(await listing(store, itwin.rootFolderId, 'all', page)), filter: { [name]: itwin.id } };
}

function readPage(query: Record<string, unknown>) {
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details, foldersFirst);
  if (details.length > 0) throw errors.invalidStorageRequest(details);
  return page;
}

async function listing(store: Store, folderId: string, kind: ListKind, page: Page): Promise<FolderListing> {
  const [items, path] = await Promise.all([store.storage.listFolder(folderId, kind, page), store.storage.folderPath(folderId)]);
  const paged = toPaged(items, page, foldersFirst);
  return { ...paged, items: paged.items.map((item) => listedItem(item, path)), folderId };
}
