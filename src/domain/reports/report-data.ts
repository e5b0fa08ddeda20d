/**
 * The content of a diagnostic report: the JSON that `@itwin/synchronization-report-react` renders
 * (its `ReportData`), in the subset twinsync writes and checks (docs/reports.md). Every type is open
 * (`[k: string]: unknown`), as the renderer's are: a connector may add what it likes.
 */
export type Severity = 'Fatal' | 'Error' | 'Critical' | 'Warning' | 'Info';
export const SEVERITIES: readonly Severity[] = ['Fatal', 'Error', 'Critical', 'Warning', 'Info'];

export interface AuditInfo {
  issueid?: string;
  level?: Severity;
  category?: string;
  message?: string;
  type?: string;
  fileName?: string;
  [k: string]: unknown;
}

export interface ElementInfo {
  ecinstanceid?: string;
  sourceid?: string;
  [k: string]: unknown;
}

export interface AuditRecord {
  auditinfo?: AuditInfo;
  elementinfo?: ElementInfo;
  [k: string]: unknown;
}

export interface FileRecord {
  file?: { identifier?: string; path?: string; [k: string]: unknown };
  auditrecords?: AuditRecord[];
  [k: string]: unknown;
}

export interface ElementRecord {
  elementids?: string;
  reason?: string;
  [k: string]: unknown;
}

export interface ReportData {
  context?: Record<string, unknown>;
  sourceFilesInfo?: Record<string, unknown>;
  filerecords?: FileRecord[];
  elementRecords?: ElementRecord[];
  [k: string]: unknown;
}

/** Larger than any honest report of one file; bounds what a misbehaving program makes a worker hold. */
export const MAX_REPORT_BYTES = 4 * 1024 * 1024;

export type ParsedReport = { ok: true; data: ReportData } | { ok: false; problem: string };

/**
 * Checks that `value` has the renderer's shape where it matters to a reader: objects where it
 * expects objects, arrays where it iterates, strings where it shows text, a known severity. The
 * first problem is described (with where it is), so that a connector's author can fix it.
 */
export function parseReportData(value: unknown): ParsedReport {
  if (!isObject(value)) return bad('the report must be a JSON object');
  for (const name of ['context', 'sourceFilesInfo'] as const) {
    if (value[name] !== undefined && !isObject(value[name])) return bad(`${name} must be an object`);
  }
  const files = value.filerecords;
  if (files !== undefined) {
    if (!Array.isArray(files)) return bad('filerecords must be an array');
    for (const [i, record] of files.entries()) {
      const problem = fileRecordProblem(record, `filerecords[${i}]`);
      if (problem) return bad(problem);
    }
  }
  const elements = value.elementRecords;
  if (elements !== undefined) {
    if (!Array.isArray(elements)) return bad('elementRecords must be an array');
    for (const [i, record] of elements.entries()) {
      const problem = stringsProblem(record, ['elementids', 'reason', 'repositorylinkId'], `elementRecords[${i}]`);
      if (problem) return bad(problem);
    }
  }
  return { ok: true, data: value as ReportData };
}

function fileRecordProblem(record: unknown, where: string): string | undefined {
  if (!isObject(record)) return `${where} must be an object`;
  if (record.file !== undefined) {
    const problem = stringsProblem(record.file, ['identifier', 'path'], `${where}.file`);
    if (problem) return problem;
  }
  const audits = record.auditrecords;
  if (audits === undefined) return undefined;
  if (!Array.isArray(audits)) return `${where}.auditrecords must be an array`;
  for (const [i, audit] of audits.entries()) {
    const at = `${where}.auditrecords[${i}]`;
    if (!isObject(audit)) return `${at} must be an object`;
    if (audit.auditinfo !== undefined) {
      const problem = stringsProblem(audit.auditinfo, ['issueid', 'level', 'category', 'message', 'type', 'fileName'], `${at}.auditinfo`);
      if (problem) return problem;
      const level = (audit.auditinfo as AuditInfo).level;
      if (level !== undefined && !SEVERITIES.includes(level)) return `${at}.auditinfo.level must be one of ${SEVERITIES.join(', ')}`;
    }
    if (audit.elementinfo !== undefined) {
      const problem = stringsProblem(audit.elementinfo, ['ecinstanceid', 'sourceid'], `${at}.elementinfo`);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** The object's named fields, where present, must be strings. */
function stringsProblem(value: unknown, names: readonly string[], where: string): string | undefined {
  if (!isObject(value)) return `${where} must be an object`;
  const wrong = names.find((name) => value[name] !== undefined && typeof value[name] !== 'string');
  return wrong === undefined ? undefined : `${where}.${wrong} must be a string`;
}

function bad(problem: string): ParsedReport {
  return { ok: false, problem };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
