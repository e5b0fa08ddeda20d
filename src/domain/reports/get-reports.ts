import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { canonicalGuid, isGuid } from '../ids.js';
import { imodelForMember } from '../imodels/access.js';
import { property } from '../request-body.js';
import type { DiagnosticReport } from './model.js';
import type { ReportGrant, Reports } from './reports.js';

/** A report as listed: with the grant its sasUri carries. */
export interface ListedReport extends DiagnosticReport {
  download: ReportGrant;
}

/**
 * Get Diagnostic Reports: the reports of a run's tasks (of one task with `taskId`), each with a
 * signed URL of its content. Query names in any case (`iModelId`, `imodelId`); every problem with
 * them is one detail of a 422 InvalidBadgersRequest, with Bentley's codes and messages. The caller
 * must be a member of the iModel's iTwin (404 or 403 as for the iModel itself); a run or task that
 * is not of this iModel, or has no report yet, lists nothing (docs/reports.md says why).
 */
export async function getReports(reports: Reports, caller: Caller, query: Record<string, unknown>): Promise<ListedReport[]> {
  const details: ErrorDetail[] = [];
  const iModelId = guidParameter(query, 'iModelId', true, details);
  const runId = guidParameter(query, 'runId', true, details);
  const taskId = guidParameter(query, 'taskId', false, details);
  if (details.length > 0) throw errors.invalidReportsRequest(details);

  const imodel = await imodelForMember(reports.store, caller, iModelId!);
  const found = await reports.store.reports.ofRun(imodel.id, runId!, taskId);
  const now = Date.now();
  return found.map((report) => ({ ...report, download: reports.grant(report.iModelId, report.id, now) }));
}

function guidParameter(query: Record<string, unknown>, name: string, required: boolean, details: ErrorDetail[]): string | undefined {
  const raw = property(query, name);
  if (raw === undefined || raw === '') {
    if (required) details.push({ code: 'MissingRequiredProperty', message: `${name} should be provided.`, target: name });
    return undefined;
  }
  if (typeof raw !== 'string' || !isGuid(raw)) {
    details.push({ code: 'InvalidValue', message: `Provided ${name} value is not valid.`, target: name });
    return undefined;
  }
  return canonicalGuid(raw);
}
