import fs from 'node:fs';
import path from 'node:path';
import { MAX_REPORT_BYTES, parseReportData, type ReportData } from '../domain/reports/report-data.js';

/**
 * The file a connector program may leave in its output folder with its diagnostic report, in the
 * format `@itwin/synchronization-report-react` renders (docs/reports.md). The builtin IFC
 * converter writes one there too.
 */
export const DIAGNOSTIC_REPORT_FILE = 'synchronization-report.json';

export type WrittenReport = { kind: 'none' } | { kind: 'valid'; data: ReportData } | { kind: 'invalid'; problem: string };

/**
 * Reads and checks the program's diagnostic report. A bad one is described, never thrown: the
 * program's exit code decides the task, and its report only informs it.
 */
export async function readDiagnosticReport(outputDir: string): Promise<WrittenReport> {
  const file = path.join(outputDir, DIAGNOSTIC_REPORT_FILE);
  let text: string;
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) return { kind: 'invalid', problem: `${DIAGNOSTIC_REPORT_FILE} is not a file` };
    if (stat.size > MAX_REPORT_BYTES) return { kind: 'invalid', problem: `${DIAGNOSTIC_REPORT_FILE} is larger than ${MAX_REPORT_BYTES} bytes` };
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'invalid', problem: `${DIAGNOSTIC_REPORT_FILE} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid', problem: `${DIAGNOSTIC_REPORT_FILE} is not valid JSON` };
  }
  const parsed = parseReportData(value);
  return parsed.ok ? { kind: 'valid', data: parsed.data } : { kind: 'invalid', problem: `${DIAGNOSTIC_REPORT_FILE}: ${parsed.problem}` };
}

/** The report kept in place of a malformed one: it says so, and why, so that the program's author can fix it. */
export function malformedReport(problem: string, fileName: string): ReportData {
  return {
    filerecords: [
      {
        auditrecords: [
          {
            auditinfo: {
              issueid: 'MalformedReport',
              level: 'Warning',
              category: 'Report',
              type: 'MalformedReport',
              message: `The connector program's diagnostic report was not kept: ${problem}.`,
              fileName,
            },
          },
        ],
      },
    ],
  };
}
