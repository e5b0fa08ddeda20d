import type { FileDownloadGrant } from '../../domain/storage/download-file.js';
import type { StorageItem } from '../../domain/storage/model.js';
import type { UploadGrant } from '../../domain/storage/upload-signing.js';
import { memberUrl } from './member.js';

export function folderUrl(publicUrl: string, id: string): string {
  return `${publicUrl}/storage/folders/${id}`;
}

/** Clients take the file id out of this URL by position (itwin-cli: `split("/")[5]`): no path prefix. */
export function completeUrl(publicUrl: string, fileId: string): string {
  return `${publicUrl}/storage/files/${fileId}/complete`;
}

/** The signed upload URL: absolute, on the same origin, the file id at the same position. */
export function uploadUrl(publicUrl: string, grant: UploadGrant): string {
  const query = new URLSearchParams({ version: String(grant.version), expires: String(grant.expires), signature: grant.signature });
  return `${publicUrl}/storage/files/${grant.fileId}/content?${query}`;
}

/** A file's signed download URL: the content route, its version, expiry and signature. */
export function fileDownloadUrl(publicUrl: string, grant: FileDownloadGrant): string {
  const query = new URLSearchParams({ version: String(grant.version), expires: String(grant.expires), signature: grant.signature });
  return `${publicUrl}/storage/files/${grant.fileId}/content?${query}`;
}

export function presentUploadLinks(publicUrl: string, grant: UploadGrant) {
  return { _links: { uploadUrl: { href: uploadUrl(publicUrl, grant) }, completeUrl: { href: completeUrl(publicUrl, grant.fileId) } } };
}

function common(publicUrl: string, item: StorageItem) {
  const links: { createdBy: { href: string }; lastModifiedBy: { href: string }; parentFolder?: { href: string } } = {
    createdBy: { href: memberUrl(publicUrl, item.iTwinId, item.createdBy) },
    lastModifiedBy: { href: memberUrl(publicUrl, item.iTwinId, item.modifiedBy) },
  };
  if (item.parentFolderId) links.parentFolder = { href: folderUrl(publicUrl, item.parentFolderId) };
  return {
    id: item.id,
    displayName: item.displayName,
    description: item.description,
    path: item.path,
    lastModifiedByDisplayName: item.modifiedBy,
    createdDateTime: item.createdAt,
    lastModifiedDateTime: item.modifiedAt,
    ...(item.parentFolderId ? { parentFolderId: item.parentFolderId } : {}),
    _links: links,
  };
}

export function presentFile(publicUrl: string, item: StorageItem) {
  return { type: 'file' as const, ...common(publicUrl, item), size: item.size };
}

export function presentFolder(publicUrl: string, item: StorageItem) {
  return { type: 'folder' as const, ...common(publicUrl, item) };
}

/** Listings mix both: `type` tells them apart, `size` only for files. */
export function presentItem(publicUrl: string, item: StorageItem) {
  return item.type === 'file' ? presentFile(publicUrl, item) : presentFolder(publicUrl, item);
}
