import { createHash } from 'node:crypto';
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
  };
}
