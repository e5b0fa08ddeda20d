import { createHash } from 'node:crypto';
import type { ReportData } from '../domain/reports/report-data.js';
import type { ConnectorInput, ConnectorOutcome } from './connector.js';

/**
 * The report of an emulated task: every number is drawn from a hash of the content and the file's
 * name, so the same file always gives the same report (tests and users can compare runs), while
 * different files give different, plausible-looking ones.
 *
 * `Success` is a clean report (`None`, no warnings; "other issues" are informational);
 * `Warning` reports 1–25 warnings.
 */
export function emulatedOutcome(
  input: ConnectorInput,
  contentHash: string,
  result: 'Success' | 'Warning',
  ruleIndex: number | undefined,
  ruleMessage: string | undefined,
): ConnectorOutcome {
  const bytes = createHash('sha256').update(`${input.action}\n${input.connectorType}\n${input.fileName}\n${contentHash}`).digest();
  const elementCount = 1 + (bytes.readUInt32BE(0) % 5000);
  const totalWarningsCount = result === 'Warning' ? 1 + (bytes[4]! % 25) : 0;
  const totalOtherIssuesCount = bytes[5]! % 4;

  const subject = `'${input.fileName}' (${input.connectorType})`;
  const what =
    input.action === 'sync'
      ? `Emulated synchronization of ${subject}: the content was checked, ${elementCount} elements reported, nothing converted.`
      : `Emulated removal of what ${subject} brought in: ${elementCount} elements reported removed, nothing changed.`;
  const summary =
    input.action === 'sync'
      ? `Emulated ${input.connectorType} synchronization of '${input.fileName}' (${elementCount} elements)`
      : `Emulated ${input.connectorType} removal of '${input.fileName}' (${elementCount} elements)`;

  return {
    report: {
      suggestedAction: result === 'Warning' ? 'Warning' : 'None',
      message: ruleMessage === undefined ? what : `Emulated: ${ruleMessage}`,
      totalErrorsCount: 0,
      totalWarningsCount,
      totalOtherIssuesCount,
    },
    details: {
      emulated: true,
      action: input.action,
      elementCount,
      ...(input.action === 'sync' && { contentHash }),
      ...(ruleIndex !== undefined && { outcomeRule: ruleIndex }),
    },
    summary,
    diagnostics: emulatedDiagnostics(input, what, totalWarningsCount),
  };
}

/**
 * A small diagnostic report that says what it is: one Info issue saying the task was emulated (and
 * what was checked), and, for a Warning outcome, one Warning issue standing for the emulated warnings.
 */
function emulatedDiagnostics(input: ConnectorInput, what: string, warnings: number): ReportData {
  const issue = (level: 'Info' | 'Warning', type: string, message: string) => ({
    auditinfo: { issueid: type, level, category: 'Emulation', type, message, fileName: input.fileName },
  });
  const auditrecords = [issue('Info', 'Emulated', `${what} This report is emulated: no connector read the file's content.`)];
  if (warnings > 0) auditrecords.push(issue('Warning', 'EmulatedWarnings', `${warnings} emulated warnings (an outcome rule in CONNECTORS asked for them).`));
  return { filerecords: [{ auditrecords }] };
}
