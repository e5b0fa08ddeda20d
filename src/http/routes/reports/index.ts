import { Reports } from '../../../domain/reports/reports.js';
import type { App, AppContext } from '../../context.js';
import { downloadDiagnosticReportRoute } from './download-diagnostic-report.js';
import { getDiagnosticReportsRoute } from './get-diagnostic-reports.js';

/**
 * Diagnostic reports and their content. Content URLs are signed with the upload URLs' key and
 * lifetime (UPLOAD_URL_TTL_SECONDS), so any process of the deployment serves a URL another one gave.
 */
export function reportRoutes(app: App, ctx: AppContext): void {
  const reports = new Reports(ctx.store, ctx.blobs, ctx.signer, { redirectDownloads: ctx.config.blobStore.downloads === 'redirect' });
  getDiagnosticReportsRoute(app, ctx, reports);
  downloadDiagnosticReportRoute(app, reports);
}
