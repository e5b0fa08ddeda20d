import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseConnectorsConfig, type EmulateSettings } from '../../src/connectors/config.js';
import { ConnectorFailure, type ConnectorInput } from '../../src/connectors/connector.js';
import { EmulateConnector } from '../../src/connectors/emulate.js';
import type { ConnectorType } from '../../src/domain/connector-types.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-emulate-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

/** A stored blob with its true size and hash, and a fresh output folder, as a worker would pass them. */
function syncInput(content: string | Buffer, overrides: Partial<ConnectorInput> = {}): ConnectorInput {
  const n = ++counter;
  const filePath = path.join(root, `blob-${n}`);
  fs.writeFileSync(filePath, content);
  return {
    action: 'sync',
    connectorType: 'DWG',
    iModelId: `imodel-${n}`,
    sourceFileId: `source-${n}`,
    storageFileId: `file-${n}`,
    fileName: 'plan.dwg',
    filePath,
    size: Buffer.byteLength(content),
    contentHash: createHash('sha256').update(content).digest('hex'),
    outputDir: path.join(root, `out-${n}`),
    attempt: 0,
    signal: new AbortController().signal,
    changeset: { id: 'c'.repeat(40), index: 1, parentId: '' },
    checkpoint: { base: null, target: path.join(root, `checkpoint-${n}.bim`), iTwinId: `itwin-${n}` },
    ...overrides,
  };
}

function emulator(settings: Record<string, unknown> = {}): EmulateConnector {
  const config = parseConnectorsConfig({ default: { durationMs: 0, ...settings } }, 'test');
  return new EmulateConnector(config.default as EmulateSettings);
}

function failure(check: Partial<{ errorCode: string; retryable: boolean; canUserFix: boolean }>) {
  return (error: unknown) => {
    assert.ok(error instanceof ConnectorFailure, `expected a ConnectorFailure, got ${String(error)}`);
    if (check.errorCode !== undefined) assert.equal(error.taskError.errorCode, check.errorCode);
    if (check.retryable !== undefined) assert.equal(error.retryable, check.retryable);
    if (check.canUserFix !== undefined) assert.equal(error.taskError.canUserFix, check.canUserFix);
    assert.equal(error.taskError.system, 'twinsync');
    assert.equal(error.taskError.kbArticleLink, '');
    return true;
  };
}

describe('emulate connector', () => {
  it('reports a clean, clearly emulated success and writes no file', async () => {
    const input = syncInput('hello world');
    const outcome = await emulator().run(input);
    assert.equal(outcome.report.suggestedAction, 'None');
    assert.equal(outcome.report.totalErrorsCount, 0);
    assert.equal(outcome.report.totalWarningsCount, 0);
    assert.match(outcome.report.message, /^Emulated synchronization of 'plan\.dwg' \(DWG\)/);
    assert.equal(outcome.details?.emulated, true);
    assert.equal(outcome.details?.contentHash, input.contentHash);
    assert.match(outcome.summary ?? '', /^Emulated DWG synchronization of 'plan\.dwg'/);
    assert.equal(fs.existsSync(input.outputDir), false, 'its output folder is removed with the run: nothing written there');
  });

  it('gives the same report for the same content, whatever the file id or attempt', async () => {
    const connector = emulator({ outcomes: [{ result: 'Warning' }] });
    const first = await connector.run(syncInput('same bytes'));
    const second = await connector.run(syncInput('same bytes', { attempt: 3 }));
    const other = await connector.run(syncInput('other bytes'));
    assert.deepEqual(second, first);
    assert.notDeepEqual(other, first);
  });

  it('rejects content whose hash differs, non-retryably', async () => {
    await assert.rejects(
      emulator().run(syncInput('abc', { contentHash: 'f'.repeat(64) })),
      failure({ errorCode: 'TWINSYNC_FILE_CORRUPT', retryable: false, canUserFix: true }),
    );
  });

  it('rejects a truncated or missing file, non-retryably', async () => {
    const truncated = syncInput('abc');
    await assert.rejects(emulator().run({ ...truncated, size: 10 }), failure({ errorCode: 'TWINSYNC_FILE_INCOMPLETE', retryable: false, canUserFix: true }));
    await assert.rejects(
      emulator().run({ ...truncated, filePath: path.join(root, 'nowhere') }),
      failure({ errorCode: 'TWINSYNC_FILE_UNREADABLE', retryable: false, canUserFix: true }),
    );
    await assert.rejects(emulator().run({ ...truncated, filePath: null }), failure({ errorCode: 'TWINSYNC_FILE_UNREADABLE', retryable: false }));
    await assert.rejects(emulator().run({ ...truncated, filePath: root, size: 0 }), failure({ errorCode: 'TWINSYNC_FILE_UNREADABLE' }));
  });

  it('checks even large files by streaming them', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const outcome = await emulator().run(syncInput(big));
    assert.equal(outcome.report.suggestedAction, 'None');
  });

  it('Flaky fails exactly the first N attempts, retryably', async () => {
    const connector = emulator({ outcomes: [{ result: 'Flaky', failAttempts: 2 }] });
    await assert.rejects(connector.run(syncInput('x', { attempt: 0 })), failure({ errorCode: 'TWINSYNC_EMULATED_FLAKY', retryable: true }));
    await assert.rejects(connector.run(syncInput('x', { attempt: 1 })), failure({ errorCode: 'TWINSYNC_EMULATED_FLAKY', retryable: true }));
    const outcome = await connector.run(syncInput('x', { attempt: 2 }));
    assert.equal(outcome.report.suggestedAction, 'None');
  });

  it('Error fails every attempt with the configured code, message and retryability', async () => {
    const connector = emulator({ outcomes: [{ result: 'Error', errorCode: 'MY_CODE', message: 'Broken on purpose.', retryable: false }] });
    for (const attempt of [0, 1, 5]) {
      await assert.rejects(connector.run(syncInput('x', { attempt })), (error: unknown) => {
        assert.ok(error instanceof ConnectorFailure);
        assert.equal(error.retryable, false);
        assert.equal(error.taskError.errorCode, 'MY_CODE');
        assert.equal(error.taskError.message, 'Broken on purpose.');
        assert.equal(error.taskError.category, 'emulated');
        return true;
      });
    }
    await assert.rejects(emulator({ outcomes: [{ result: 'Error' }] }).run(syncInput('x')), failure({ errorCode: 'TWINSYNC_EMULATED_ERROR', retryable: true }));
  });

  it('Warning succeeds with warnings in the report', async () => {
    const outcome = await emulator({ outcomes: [{ result: 'Warning', message: 'Check the layers.' }] }).run(syncInput('w'));
    assert.equal(outcome.report.suggestedAction, 'Warning');
    assert.ok(outcome.report.totalWarningsCount >= 1 && outcome.report.totalWarningsCount <= 25);
    assert.equal(outcome.report.message, 'Emulated: Check the layers.');
    assert.equal(outcome.details?.outcomeRule, 0);
  });

  it('matches rules by type and file-name pattern, first match wins', async () => {
    const connector = emulator({
      outcomes: [
        { fileName: '*.dwg', result: 'Error' },
        { fileName: 'plan-?.ifc', result: 'Flaky', failAttempts: 1 },
        { connectorType: 'DWG', result: 'Warning' },
      ],
    });
    const run = (fileName: string, connectorType: ConnectorType) => connector.run(syncInput('m', { fileName, connectorType }));
    await assert.rejects(run('Site.DWG', 'IFC'), failure({ errorCode: 'TWINSYNC_EMULATED_ERROR' }), 'pattern is case-insensitive');
    await assert.rejects(run('plan-1.ifc', 'IFC'), failure({ errorCode: 'TWINSYNC_EMULATED_FLAKY' }));
    assert.equal((await run('plan-12.ifc', 'IFC')).report.suggestedAction, 'None', '? is exactly one character');
    assert.equal((await run('plan-12.ifc', 'DWG')).report.suggestedAction, 'Warning', 'type rule');
    assert.equal((await run('a.[x].ifc', 'REVIT')).report.suggestedAction, 'None', 'no match = Success');
  });

  it('removes without a file, still subject to the rules', async () => {
    const input: ConnectorInput = { ...syncInput('gone'), action: 'remove', filePath: null, fileName: 'old.ifc', connectorType: 'IFC' };
    const outcome = await emulator().run(input);
    assert.match(outcome.report.message, /^Emulated removal of what 'old\.ifc' \(IFC\) brought in/);
    assert.equal(outcome.details?.emulated, true);
    assert.equal(outcome.details?.action, 'remove');
    await assert.rejects(emulator({ outcomes: [{ fileName: 'old.*', result: 'Error' }] }).run(input), failure({ errorCode: 'TWINSYNC_EMULATED_ERROR' }));
  });

  it('takes the configured time, and a rule can override it', async () => {
    const connector = emulator({ durationMs: 150, outcomes: [{ fileName: 'quick.*', result: 'Success', durationMs: 0 }] });
    let started = performance.now();
    await connector.run(syncInput('t'));
    assert.ok(performance.now() - started >= 140, 'waits durationMs');
    started = performance.now();
    await connector.run(syncInput('t', { fileName: 'quick.dwg' }));
    assert.ok(performance.now() - started < 140, 'the rule duration wins');
  });

  it('stops promptly when aborted', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(
      emulator({ durationMs: 30_000 }).run(syncInput('a', { signal: controller.signal })),
      failure({ errorCode: 'TWINSYNC_ABORTED', retryable: true }),
    );
    assert.ok(performance.now() - started < 5_000);
    await assert.rejects(emulator().run(syncInput('a', { signal: AbortSignal.abort() })), failure({ errorCode: 'TWINSYNC_ABORTED' }));
  });
});
