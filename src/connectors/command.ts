import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CommandSettings } from './config.js';
import type { Connector, ConnectorFailure, ConnectorInput, ConnectorOutcome } from './connector.js';
import { malformedReport, readDiagnosticReport } from './diagnostic-report.js';
import { connectorErrors } from './errors.js';
import { readProgramReport } from './program-report.js';
import { type ProcessSlots, UNLIMITED_PROCESSES } from './process-slots.js';
import { type ProgramResult, runProgram } from './run-program.js';
import { settingsEnvironment } from './settings-file.js';
import { referencesEnvironment } from './references-file.js';

/** How much of the program's output ends up in a task error's `details`. */
export const TAIL_BYTES = 2048;

/** Spawn errors that no retry can cure: the operator has to install or fix the program. */
const PERMANENT_SPAWN_ERRORS = new Set(['ENOENT', 'EACCES', 'ENOEXEC', 'EPERM', 'ENOTDIR', 'EISDIR']);

/**
 * Runs an operator-supplied program per task: exit code 0 is success, anything else a failed
 * attempt whose stderr tail and exit code land in the task error. The program runs in the task's
 * output folder (also its working directory) and may leave a `report.json` there
 * (see program-report.ts) and a diagnostic report (`synchronization-report.json`, see diagnostic-report.ts). For `remove`, `{input}` is empty: read TWINSYNC_ACTION.
 */
export class CommandConnector implements Connector {
  readonly kind = 'command';
  readonly writesVersionFiles = true;
  // The resolved configuration is a file in the program's folder and variables (settings-file.ts).
  readonly usesSettings = true;

  constructor(
    private readonly settings: CommandSettings,
    /** The environment the program inherits (the server's, unless a test says otherwise). */
    private readonly baseEnv: NodeJS.ProcessEnv = process.env,
    /** Shared with the worker's other connectors: programs at once (CONNECTOR_PROCESSES). */
    private readonly slots: ProcessSlots = UNLIMITED_PROCESSES,
  ) {}

  async run(input: ConnectorInput): Promise<ConnectorOutcome> {
    if (input.signal.aborted) throw connectorErrors.aborted(input.fileName);
    await fs.promises.mkdir(input.outputDir, { recursive: true });
    const { settings } = this;
    const env = { ...this.baseEnv, ...settings.env, ...taskEnvironment(input), ...(await settingsEnvironment(input)), ...(await referencesEnvironment(input)) };
    const release = await takeSlot(this.slots, input);
    let result: ProgramResult;
    try {
      result = await runProgram({
        command: settings.command,
        args: settings.args.map((arg) => substitute(arg, input)),
        cwd: input.outputDir,
        env,
        timeoutMs: settings.timeoutMs,
        killGraceMs: settings.killGraceMs,
        signal: input.signal,
        tailBytes: TAIL_BYTES,
      });
    } finally {
      release();
    }
    const failure = programFailure(result, settings, input.fileName);
    if (failure) throw failure;
    return programOutcome(input);
  }
}

/**
 * The task error for how a program ended, or undefined when it succeeded (exit code 0). Shared with
 * the builtin IFC connector, whose warm converter reports its tasks in the same terms, so that a task
 * fails the same way (code, retryable or not, output tail) whichever process ran it.
 */
export function programFailure(
  result: ProgramResult,
  settings: Pick<CommandSettings, 'command' | 'timeoutMs' | 'permanentExitCodes'>,
  fileName: string,
): ConnectorFailure | undefined {
  if (result.ending === 'notStarted') {
    // Only the program's name: task errors are shown to API clients, server paths are not theirs.
    return connectorErrors.programNotStarted(path.basename(settings.command), result.code, !PERMANENT_SPAWN_ERRORS.has(result.code));
  }
  const output = result.stderr || result.stdout;
  if (result.ending === 'aborted') return connectorErrors.aborted(fileName);
  if (result.ending === 'timedOut') return connectorErrors.programTimeout(settings.timeoutMs, output);
  // Killed by a signal nobody here sent: report it the way shells do.
  const exitCode = result.exitCode ?? 128 + (os.constants.signals[result.exitSignal ?? 'SIGKILL'] ?? 0);
  if (exitCode !== 0) return connectorErrors.programExit(exitCode, output, !settings.permanentExitCodes.includes(exitCode));
  return undefined;
}

/**
 * A program's successful task: its `report.json`, its diagnostic report (a malformed one is
 * replaced by one that says so, and named in the task's details), and the checkpoint it wrote, if any.
 */
export async function programOutcome(input: ConnectorInput): Promise<ConnectorOutcome> {
  const checkpoint = input.checkpoint && (await checkpointWritten(input.checkpoint.target));
  const result = outcome(input, await readProgramReport(input.outputDir));
  const written = await readDiagnosticReport(input.outputDir);
  if (written.kind === 'valid') result.diagnostics = written.data;
  if (written.kind === 'invalid') {
    result.diagnostics = malformedReport(written.problem, input.fileName);
    result.details = { ...result.details, diagnosticReportProblem: written.problem };
  }
  return { ...result, ...(checkpoint && { checkpoint }) };
}

/** The TWINSYNC_* variables that describe a task to a program (docs/connectors.md). */
export function taskEnvironment(input: ConnectorInput): Record<string, string> {
  return {
    TWINSYNC_ACTION: input.action,
    TWINSYNC_CONNECTOR_TYPE: input.connectorType,
    TWINSYNC_IMODEL_ID: input.iModelId,
    TWINSYNC_SOURCE_FILE_ID: input.sourceFileId,
    TWINSYNC_STORAGE_FILE_ID: input.storageFileId,
    TWINSYNC_FILE_NAME: input.fileName,
    TWINSYNC_ATTEMPT: String(input.attempt),
    TWINSYNC_INPUT_FILE: input.filePath ?? '',
    TWINSYNC_OUTPUT_DIR: input.outputDir,
    TWINSYNC_FILE_SIZE: String(input.size),
    TWINSYNC_CONTENT_HASH: input.contentHash ?? '',
    // The version this task makes, for programs that write iModel files (docs/connectors.md).
    TWINSYNC_CHANGESET_ID: input.changeset.id,
    TWINSYNC_CHANGESET_INDEX: String(input.changeset.index),
    TWINSYNC_CHANGESET_PARENT_ID: input.changeset.parentId,
    TWINSYNC_BASE_CHECKPOINT: input.checkpoint?.base ?? '',
    TWINSYNC_CHECKPOINT_FILE: input.checkpoint?.target ?? '',
    TWINSYNC_ITWIN_ID: input.checkpoint?.iTwinId ?? '',
  };
}

/** The checkpoint the program left at the target (a regular file), or undefined when it wrote none. */
async function checkpointWritten(target: string): Promise<{ size: number } | undefined> {
  try {
    const stat = await fs.promises.stat(target);
    return stat.isFile() ? { size: stat.size } : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Placeholders are replaced in one pass, so a file name containing `{output}` stays literal. */
function substitute(arg: string, input: ConnectorInput): string {
  const values: Record<string, string> = {
    input: input.filePath ?? '',
    output: input.outputDir,
    type: input.connectorType,
    fileName: input.fileName,
  };
  return arg.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

function outcome(input: ConnectorInput, programReport: Awaited<ReturnType<typeof readProgramReport>>): ConnectorOutcome {
  const verb = input.action === 'sync' ? 'synchronization' : 'removal';
  const summary = `${input.connectorType} ${verb} of '${input.fileName}'`;
  if (programReport.kind === 'valid') {
    return { report: programReport.report, summary: programReport.summary ?? summary };
  }
  return {
    report: {
      suggestedAction: 'None',
      message: `The connector program completed the ${verb} of '${input.fileName}' without a report.`,
      totalErrorsCount: 0,
      totalWarningsCount: 0,
      totalOtherIssuesCount: 0,
    },
    ...(programReport.kind === 'invalid' && { details: { reportProblem: programReport.problem } }),
    summary,
  };
}

/**
 * A process slot for the task (process-slots.ts), waiting for one if the worker's connectors run as
 * many processes as they may; a run cancelled or given up meanwhile ends the wait as it would end
 * the program.
 */
export async function takeSlot(slots: ProcessSlots, input: Pick<ConnectorInput, 'signal' | 'fileName'>): Promise<() => void> {
  try {
    return await slots.take(input.signal);
  } catch {
    throw connectorErrors.aborted(input.fileName);
  }
}
