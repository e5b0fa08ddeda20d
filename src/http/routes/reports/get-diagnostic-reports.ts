import { getReports } from '../../../domain/reports/get-reports.js';
import type { Reports } from '../../../domain/reports/reports.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentReport } from '../../presenters/report.js';
import { errorResponses } from '../../schemas/common.js';
import { DiagnosticReportList, DiagnosticReportsQuery } from '../../schemas/report.js';

export function getDiagnosticReportsRoute(app: App, ctx: AppContext, reports: Reports): void {
  const operation = operations.getDiagnosticReports;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get Diagnostic Reports',
      description:
        'The diagnostic reports of a run’s tasks (of one task with taskId), in execution order. A report is stored when its task completes; ' +
        'its content (JSON in the format @itwin/synchronization-report-react renders) downloads from sasUri, a signed URL that expires.',
      tags: ['Diagnostic Reports'],
      querystring: DiagnosticReportsQuery,
      response: { 200: DiagnosticReportList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const listed = await getReports(reports, callerOf(request), request.query as Record<string, unknown>);
      return { reports: listed.map((r) => presentReport(ctx.config.publicUrl, r)) };
    },
  });
}
