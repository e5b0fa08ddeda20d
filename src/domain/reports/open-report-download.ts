import type { Readable } from 'node:stream';
import { errors } from '../errors.js';
import { canonicalGuid, isGuid, isOpaqueId } from '../ids.js';
import { REPORT_GRANT, reportKey } from './model.js';
import type { Reports } from './reports.js';

/** What a report download is answered with: a redirect to the blob store's URL, or the bytes. */
export type ReportDownload = { redirect: string } | { size: number; body: Readable };

/** How long a blob store's own URL lives: long enough to start the download it was given for. */
const REDIRECT_TTL_SECONDS = 300;

/**
 * The report behind a signed `sasUri`: no bearer token, the signature is the credential (403
 * AuthenticationFailed when it does not match or has expired, saying which). A report whose iModel
 * was deleted since the URL was given is 404 ReportNotFound.
 */
export async function openReportDownload(
  reports: Reports,
  params: { iModelId: string; reportId: string; expires?: string; signature?: string },
): Promise<ReportDownload> {
  // Checked before anything reaches a key: the ids are all a key is made of.
  if (!isGuid(params.iModelId) || !isOpaqueId(params.reportId)) throw errors.downloadAuthenticationFailed('the signature does not match.');
  const iModelId = canonicalGuid(params.iModelId);
  const refused = reports.signer.verifyGrant(REPORT_GRANT, [iModelId, params.reportId], params, Date.now(), 'list the reports again for a new one.');
  if (refused) throw errors.downloadAuthenticationFailed(refused);
  const key = reportKey(iModelId, params.reportId);
  const info = await reports.blobs.head(key);
  if (!info) throw errors.reportNotFound();
  if (reports.options.redirectDownloads) {
    const url = await reports.blobs.downloadUrl(key, REDIRECT_TTL_SECONDS, `${params.reportId}.json`);
    if (url) return { redirect: url };
  }
  const body = await reports.blobs.get(key);
  // Deleted with its iModel between the look and the read.
  if (!body) throw errors.reportNotFound();
  return { size: info.size, body };
}
