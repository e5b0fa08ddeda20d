import { openReportDownload } from '../../../domain/reports/open-report-download.js';
import type { Reports } from '../../../domain/reports/reports.js';
import { type App, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { errorResponses } from '../../schemas/common.js';
import { ReportFileParams, ReportFileQuery } from '../../schemas/report.js';

/**
 * A report's content, behind its signed `sasUri` (no bearer token: the URL is the credential, as an
 * Azure SAS URL is). Streamed from the blob store; with an object store and redirects on, a 302 to
 * the store's own short-lived signed URL, as checkpoint downloads do.
 */
export function downloadDiagnosticReportRoute(app: App, reports: Reports): void {
  const operation = operations.downloadDiagnosticReport;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Download Diagnostic Report',
      description: 'The `sasUri` of a diagnostic report: its content as application/json. No Authorization.',
      tags: ['Diagnostic Reports'],
      params: ReportFileParams,
      querystring: ReportFileQuery,
      response: {
        200: { description: 'The report (application/json).' },
        302: { description: 'With an object store (BLOB_DOWNLOADS=redirect): Location is its signed URL of the report. No body.' },
        ...errorResponses(403, 404, 429),
      },
    },
    handler: async (request, reply) => {
      const query = request.query as { expires?: string; signature?: string };
      const file = await openReportDownload(reports, { ...request.params, ...query });
      if ('redirect' in file) return reply.status(302).header('location', file.redirect).header('cache-control', 'no-store').send();
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-length', String(file.size))
        .header('cache-control', 'private, max-age=0')
        .send(file.body);
    },
  });
}
