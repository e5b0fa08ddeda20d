import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulateSettings, OutcomeRule } from './config.js';
import type { Connector, ConnectorInput, ConnectorOutcome } from './connector.js';
import { emulatedOutcome } from './emulated-report.js';
import { connectorErrors } from './errors.js';
import { checkSourceFile } from './file-check.js';
import { globToRegExp } from './glob.js';

interface CompiledRule {
  index: number;
  rule: OutcomeRule;
  pattern?: RegExp;
}

/**
 * The connector every type gets until a real one is configured: it proves the stored file is
 * whole, takes the configured time, and reports a deterministic, clearly emulated outcome. Outcome
 * rules let users rehearse their error handling (failures, retries, warnings) against twinsync.
 */
export class EmulateConnector implements Connector {
  readonly kind = 'emulate';
  readonly writesVersionFiles = false;
  /** Only when configured to record them: an emulated run then costs a read of the configurations. */
  readonly usesSettings: boolean;
  private readonly rules: CompiledRule[];

  constructor(private readonly settings: EmulateSettings) {
    this.usesSettings = settings.recordSettings;
    this.rules = settings.outcomes.map((rule, index) => ({
      index,
      rule,
      ...(rule.fileName !== undefined && { pattern: globToRegExp(rule.fileName) }),
    }));
  }

  async run(input: ConnectorInput): Promise<ConnectorOutcome> {
    if (input.signal.aborted) throw connectorErrors.aborted(input.fileName);
    const match = this.match(input);
    const rule = match?.rule;

    // Removal has no file to read; its report is derived from what was last synchronized.
    const contentHash = input.action === 'sync' ? await checkSourceFile(input) : (input.contentHash ?? '');
    await pause(rule?.durationMs ?? this.settings.durationMs, input);

    if (rule?.result === 'Error') {
      throw connectorErrors.emulated(
        rule.errorCode ?? 'TWINSYNC_EMULATED_ERROR',
        rule.message ?? `Emulated failure of '${input.fileName}' (outcome rule ${match?.index}).`,
        rule.retryable,
      );
    }
    if (rule?.result === 'Flaky' && input.attempt < (rule.failAttempts ?? 0)) {
      throw connectorErrors.emulated(
        rule.errorCode ?? 'TWINSYNC_EMULATED_FLAKY',
        rule.message ?? `Emulated transient failure of '${input.fileName}' (attempt ${input.attempt + 1} of the ${rule.failAttempts} that fail).`,
        true,
      );
    }
    const result = rule?.result === 'Warning' ? 'Warning' : 'Success';
    const emulated = emulatedOutcome(input, contentHash, result, match?.index, rule?.message);
    // What it was given, for users to check their configurations against (docs/connectors.md).
    return input.settings ? { ...emulated, details: { ...emulated.details, resolvedSettings: input.settings } } : emulated;
  }

  private match(input: ConnectorInput): CompiledRule | undefined {
    return this.rules.find(
      ({ rule, pattern }) =>
        (rule.connectorType === undefined || rule.connectorType === input.connectorType) && (pattern === undefined || pattern.test(input.fileName)),
    );
  }
}

async function pause(ms: number, input: ConnectorInput): Promise<void> {
  try {
    if (ms > 0) await sleep(ms, undefined, { signal: input.signal });
  } catch {
    // Only the signal rejects this sleep.
  }
  if (input.signal.aborted) throw connectorErrors.aborted(input.fileName);
}
