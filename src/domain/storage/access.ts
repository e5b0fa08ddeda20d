import type { Kysely } from 'kysely';
import { findFile, findFolder } from '../../store/repositories/storage.js';
import type { Database, StorageFileRow, StorageFolderRow } from '../../store/schema.js';
import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { isGuid, isOpaqueId } from '../ids.js';
import { requireMember } from '../itwins/access.js';

/**
 * Storage ids are opaque (43-char base64url; older root folders are GUIDs): anything else cannot be
 * one, and is not found without asking the store (PostgreSQL refuses some characters, NUL among them).
 */
const plausible = (id: string) => isOpaqueId(id) || isGuid(id);

export async function folderForMember(db: Kysely<Database>, caller: Caller, id: string): Promise<StorageFolderRow> {
  const folder = plausible(id) ? await findFolder(db, id) : undefined;
  if (!folder) throw errors.folderNotFound();
  await requireMember(db, caller, folder.itwin_id);
  return folder;
}

export async function fileForMember(db: Kysely<Database>, caller: Caller, id: string): Promise<StorageFileRow> {
  const file = plausible(id) ? await findFile(db, id) : undefined;
  if (!file) throw errors.fileNotFound();
  await requireMember(db, caller, file.itwin_id);
  return file;
}
