import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { CommandConnector } from '../../src/connectors/command.js';
import { parseConnectorsConfig, type CommandSettings } from '../../src/connectors/config.js';
import { ConnectorFailure, type ConnectorInput } from '../../src/connectors/connector.js';
import { connectorInput } from '../helpers/connector-input.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-command-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

/** Writes a `#!/bin/sh` program into the temp dir and returns its path. */
function program(body: string, mode = 0o755): string {
  const file = path.join(root, `program-${++counter}.sh`);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode });
  return file;
}

function connector(command: string, options: Record<string, unknown> = {}): CommandConnector {
  const config = parseConnectorsConfig({ default: { kind: 'command', command, ...options } }, 'test');
  return new CommandConnector(config.default as CommandSettings);
}

function input(overrides: Partial<ConnectorInput> = {}): ConnectorInput {
  return connectorInput(root, ++counter, { fileName: 'tower {output}.ifc', attempt: 1, ...overrides });
}

function failure(errorCode: string, retryable: boolean) {
  return (error: unknown) => {
    assert.ok(error instanceof ConnectorFailure, `expected a ConnectorFailure, got ${String(error)}`);
    assert.equal(error.taskError.errorCode, errorCode);
    assert.equal(error.retryable, retryable);
    assert.equal(error.taskError.system, 'twinsync');
    return true;
  };
}

/** Dead or a zombie (a container's PID 1 may never reap it). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('command connector', () => {
  it('passes the file, folder, type, name and environment, and succeeds on exit 0 without a report', async () => {
    const script = program('printf "%s\\n" "$@" > args.txt; env | grep -E "^(TWINSYNC_|LICENSE=)" | sort > env.txt');
    const task = input();
    const outcome = await connector(script, { args: ['{input}', '--out={output}', '{type}', '{fileName}'], env: { LICENSE: 'L1' } }).run(task);
    assert.equal(outcome.report.suggestedAction, 'None');
    assert.equal(outcome.report.totalErrorsCount, 0);
    assert.match(outcome.report.message, /without a report/);
    assert.equal(outcome.details, undefined);
    assert.equal(outcome.checkpoint, undefined, 'the program wrote no iModel file');
    assert.deepEqual(fs.readFileSync(path.join(task.outputDir, 'args.txt'), 'utf8').split('\n').slice(0, 4), [
      task.filePath,
      `--out=${task.outputDir}`,
      'IFC',
      'tower {output}.ifc',
    ]);
    const env = fs.readFileSync(path.join(task.outputDir, 'env.txt'), 'utf8');
    for (const line of [
      'LICENSE=L1',
      'TWINSYNC_ACTION=sync',
      'TWINSYNC_ATTEMPT=1',
      'TWINSYNC_CONNECTOR_TYPE=IFC',
      `TWINSYNC_IMODEL_ID=${task.iModelId}`,
      `TWINSYNC_SOURCE_FILE_ID=${task.sourceFileId}`,
      `TWINSYNC_STORAGE_FILE_ID=${task.storageFileId}`,
      'TWINSYNC_FILE_NAME=tower {output}.ifc',
      `TWINSYNC_CHANGESET_ID=${task.changeset.id}`,
      'TWINSYNC_CHANGESET_INDEX=2',
      `TWINSYNC_CHANGESET_PARENT_ID=${'b'.repeat(40)}`,
      `TWINSYNC_BASE_CHECKPOINT=${task.checkpoint!.base}`,
      `TWINSYNC_CHECKPOINT_FILE=${task.checkpoint!.target}`,
      `TWINSYNC_ITWIN_ID=${task.checkpoint!.iTwinId}`,
    ]) {
      assert.ok(env.split('\n').includes(line), `${line} in\n${env}`);
    }
  });

  it("gives a manifest task's reference files as a JSON list named by TWINSYNC_REFERENCES_FILE, and nothing without them", async () => {
    const script = program('cp "$TWINSYNC_REFERENCES_FILE" seen.json; echo "${TWINSYNC_REFERENCES_FILE:-none}" > name.txt');
    const child = path.join(root, 'child.dwg');
    fs.writeFileSync(child, 'ref');
    const references = [{ id: 'r1', parentId: 'f1', name: 'child.dwg', relativePath: 'refs/child.dwg', filePath: child, size: 3, contentHash: 'h' }];
    const task = input({ references });
    await connector(script).run(task);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(task.outputDir, 'seen.json'), 'utf8')), references);
    const plain = input();
    await connector(program('echo "${TWINSYNC_REFERENCES_FILE:-none}" > name.txt')).run(plain);
    assert.equal(fs.readFileSync(path.join(plain.outputDir, 'name.txt'), 'utf8').trim(), 'none');
  });

  it("takes the program's own report.json, nested or flat", async () => {
    const nested = program(
      `echo '{"synchronizationReport":{"suggestedAction":"Warning","message":"2 layers skipped","totalWarningsCount":2},"summary":"IFC tower"}' > report.json`,
    );
    const outcome = await connector(nested).run(input());
    assert.deepEqual(outcome.report, {
      suggestedAction: 'Warning',
      message: '2 layers skipped',
      totalErrorsCount: 0,
      totalWarningsCount: 2,
      totalOtherIssuesCount: 0,
    });
    assert.equal(outcome.summary, 'IFC tower');

    const flat = program(`echo '{"totalErrorsCount":1,"totalOtherIssuesCount":4,"extra":true}' > "$TWINSYNC_OUTPUT_DIR/report.json"`);
    const flatOutcome = await connector(flat).run(input());
    assert.equal(flatOutcome.report.suggestedAction, 'Error', 'derived from the counts');
    assert.equal(flatOutcome.report.totalOtherIssuesCount, 4);
  });

  it('falls back to a plain success report when report.json is invalid, and says why', async () => {
    const outcome = await connector(program(`echo '{"totalWarningsCount":-1}' > report.json`)).run(input());
    assert.equal(outcome.report.suggestedAction, 'None');
    assert.match(String(outcome.details?.reportProblem), /totalWarningsCount must be a whole number/);
    const notJson = await connector(program(`echo 'nope' > report.json`)).run(input());
    assert.match(String(notJson.details?.reportProblem), /not valid JSON/);
  });

  it('maps a non-zero exit to a failure with the exit code and the end of stderr', async () => {
    const script = program('head -c 5000 /dev/zero | tr "\\0" x >&2; echo >&2; echo "the real reason" >&2; exit 3');
    await assert.rejects(connector(script).run(input()), (error: unknown) => {
      failure('TWINSYNC_CONNECTOR_EXIT', true)(error);
      const { taskError } = error as ConnectorFailure;
      assert.equal(taskError.bridgeExitCode, 3);
      assert.ok(taskError.details!.length <= 2048, `details bounded, got ${taskError.details!.length}`);
      assert.match(taskError.details!, /x\nthe real reason$/);
      return true;
    });
    await assert.rejects(connector(script, { permanentExitCodes: [3] }).run(input()), failure('TWINSYNC_CONNECTOR_EXIT', false));
  });

  it('keeps only the tail of a flood of output', async () => {
    const outcome = await connector(program('head -c 20000000 /dev/zero')).run(input());
    assert.equal(outcome.report.suggestedAction, 'None');
  });

  it('on time-out kills the program and the processes it started', async () => {
    const script = program('sleep 30 & echo $! > grandchild.pid; sleep 30');
    const task = input();
    const started = performance.now();
    await assert.rejects(connector(script, { timeoutMs: 300 }).run(task), failure('TWINSYNC_CONNECTOR_TIMEOUT', true));
    assert.ok(performance.now() - started < 5_000);
    const grandchild = Number(fs.readFileSync(path.join(task.outputDir, 'grandchild.pid'), 'utf8'));
    for (let i = 0; i < 50 && alive(grandchild); i++) await sleep(20);
    assert.equal(alive(grandchild), false, `grandchild ${grandchild} still runs`);
  });

  it('escalates to SIGKILL when the program ignores SIGTERM', async () => {
    const script = program("trap '' TERM; sleep 30 & echo $! > grandchild.pid; wait; wait");
    const task = input();
    const started = performance.now();
    await assert.rejects(connector(script, { timeoutMs: 200, killGraceMs: 200 }).run(task), failure('TWINSYNC_CONNECTOR_TIMEOUT', true));
    assert.ok(performance.now() - started < 5_000);
    const grandchild = Number(fs.readFileSync(path.join(task.outputDir, 'grandchild.pid'), 'utf8'));
    for (let i = 0; i < 50 && alive(grandchild); i++) await sleep(20);
    assert.equal(alive(grandchild), false);
  });

  it('stops promptly when aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    await assert.rejects(connector(program('sleep 30')).run(input({ signal: controller.signal })), failure('TWINSYNC_ABORTED', true));
    assert.ok(performance.now() - started < 5_000);
    await assert.rejects(connector(program('exit 0')).run(input({ signal: AbortSignal.abort() })), failure('TWINSYNC_ABORTED', true));
  });

  it('fails non-retryably when the program is missing or not executable', async () => {
    await assert.rejects(connector(path.join(root, 'missing')).run(input()), (error: unknown) => {
      failure('TWINSYNC_CONNECTOR_NOT_STARTED', false)(error);
      assert.match((error as ConnectorFailure).taskError.message, /'missing' could not be started \(ENOENT\)/);
      return true;
    });
    await assert.rejects(connector(program('exit 0', 0o644)).run(input()), failure('TWINSYNC_CONNECTOR_NOT_STARTED', false));
  });

  it('reports the size of the iModel file the program left at the checkpoint target', async () => {
    const task = input();
    const outcome = await connector(program('mkdir -p "$(dirname "$TWINSYNC_CHECKPOINT_FILE")" && printf 12345 > "$TWINSYNC_CHECKPOINT_FILE"')).run(task);
    assert.deepEqual(outcome.checkpoint, { size: 5 });
    const first = input({ checkpoint: { base: null, target: path.join(root, 'none', '1.bim'), iTwinId: 'itwin' } });
    await connector(program('[ -z "$TWINSYNC_BASE_CHECKPOINT" ] && echo first > report.json')).run(first);
    assert.ok(fs.existsSync(path.join(first.outputDir, 'report.json')), 'TWINSYNC_BASE_CHECKPOINT is empty without a base');
  });

  it('runs removals with an empty {input}', async () => {
    const task = input({ action: 'remove', filePath: null });
    await connector(program('printf "[%s]" "$1" > args.txt; echo "$TWINSYNC_ACTION" >> args.txt')).run(task);
    assert.equal(fs.readFileSync(path.join(task.outputDir, 'args.txt'), 'utf8'), '[]remove\n');
  });
});
