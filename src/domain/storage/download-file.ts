import type { Readable } from 'node:stream';
import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import type { StorageContext } from './context.js';
import { fileForMember } from './access.js';
import { contentKey } from './blobs.js';
import { isOpaqueId, isGuid } from '../ids.js';

/** The kind of signed grant a file download is (UploadSigner.signGrant): no upload URL verifies as one. */
export const FILE_DOWNLOAD_GRANT = 'storage-file-download';

/** How long an object store's own URL lives: long enough to start the download it was given for. */
const OBJECT_STORE_TTL_SECONDS = 300;

/** What a download URL of this service grants: reading `version` of `fileId` until `expires`. */
export interface FileDownloadGrant {
  fileId: string;
  version: number;
  expires: number;
  signature: string;
}

/** Where `GET /storage/files/{id}/download` sends the client: the object store's URL, or ours. */
export type FileDownloadTarget = { objectStoreUrl: string } | { grant: FileDownloadGrant };

/**
 * The download of a file's current content, for a member: a URL that is its own credential and
 * expires (the upload URLs' lifetime). It names the content version, so a later upload does not
 * change what it gives. A file whose first upload is not completed has nothing to give (409).
 */
export async function downloadFile(storage: StorageContext, caller: Caller, id: string, nowMs = Date.now()): Promise<FileDownloadTarget> {
  const file = await fileForMember(storage.store, caller, id);
  if (file.contentVersion === 0) throw errors.fileNotUploaded();
  const key = contentKey(file.id, file.contentVersion);
  if (storage.redirectDownloads) {
    const url = await storage.blobs.downloadUrl(key, OBJECT_STORE_TTL_SECONDS, file.displayName);
    if (url) return { objectStoreUrl: url };
  }
  const expires = Math.floor(nowMs / 1000) + storage.signer.ttlSeconds;
  const fields = [file.id, String(file.contentVersion)];
  return { grant: { fileId: file.id, version: file.contentVersion, expires, signature: storage.signer.signGrant(FILE_DOWNLOAD_GRANT, fields, expires) } };
}

/** The content behind a signed download URL: a redirect to the object store's URL, or the bytes. */
export type FileContentDownload =
  | { redirect: string }
  | { size: number; fileName: string; read(range?: { start: number; end: number }): Promise<Readable | undefined> };

/**
 * What a signed download URL gives (no bearer token: the signature is the credential, 403 when it
 * is wrong or expired). A file deleted since, or a version pruned by later uploads, is 404.
 */
export async function openFileDownload(
  storage: StorageContext,
  params: { fileId: string; version?: string; expires?: string; signature?: string },
): Promise<FileContentDownload> {
  const { fileId, version } = params;
  // Checked before anything reaches a key: an id and a version are all a key is made of.
  if (!(isOpaqueId(fileId) || isGuid(fileId)) || !version || !/^[1-9]\d{0,9}$/.test(version)) {
    throw errors.downloadAuthenticationFailed('the signature does not match.');
  }
  const refused = storage.signer.verifyGrant(FILE_DOWNLOAD_GRANT, [fileId, version], params, Date.now(), 'ask for the download again for a new one.');
  if (refused) throw errors.downloadAuthenticationFailed(refused);
  const file = await storage.store.storage.findFile(fileId);
  if (!file) throw errors.fileNotFound();
  const key = contentKey(fileId, Number(version));
  const info = await storage.blobs.head(key);
  if (!info) throw errors.fileNotFound();
  if (storage.redirectDownloads) {
    const url = await storage.blobs.downloadUrl(key, OBJECT_STORE_TTL_SECONDS, file.displayName);
    if (url) return { redirect: url };
  }
  return { size: info.size, fileName: file.displayName, read: (range) => storage.blobs.get(key, range) };
}
