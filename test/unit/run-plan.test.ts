import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SyncedFile } from '../../src/domain/runs/model.js';
import { jobResult, needsConsent, notConsented, planTasks, type CurrentSourceFile } from '../../src/domain/runs/plan.js';

const NOW = '2026-01-02T03:04:05.000000Z';

function current(id: string, overrides: Partial<CurrentSourceFile> = {}): CurrentSourceFile {
  return {
    sourceFileId: id,
    storageFileId: `file-${id}`,
    connectorType: 'IFC',
    fileName: `${id}.ifc`,
    contentVersion: 1,
    contentHash: `hash-${id}`,
    contentSize: 10,
    ...overrides,
  };
}

function synced(id: string, overrides: Partial<SyncedFile> = {}): SyncedFile {
  return { sourceFileId: id, storageFileId: `file-${id}`, fileName: `${id}.ifc`, connectorType: 'IFC', contentHash: `hash-${id}`, ...overrides };
}

describe('planning a run', () => {
  it('with nothing new since the last synchronization, ends the run at once with Success, freeing its lease', () => {
    const plan = planTasks('run', [current('a')], [synced('a')], NOW);
    assert.deepEqual(plan, { end: { state: 'Completed', result: 'Success', startedAt: NOW, endedAt: NOW, releaseLease: true } });
  });

  it('syncs new and changed files (content, storage file or connector), removes the ones gone, and keeps the unchanged', () => {
    const plan = planTasks(
      'run',
      [current('new'), current('same'), current('content'), current('moved'), current('connector', { connectorType: 'DGN' })],
      [synced('same'), synced('content', { contentHash: 'old' }), synced('moved', { storageFileId: 'elsewhere' }), synced('connector'), synced('gone')],
      NOW,
    );
    assert.ok('tasks' in plan);
    const tasks = plan.tasks.map((t) => [t.action, t.sourceFileId, t.connectorType]);
    assert.deepEqual(tasks, [
      // One job per connector type, in the order of their names; tasks in source-file order within each.
      ['sync', 'connector', 'DGN'],
      ['sync', 'new', 'IFC'],
      ['sync', 'content', 'IFC'],
      ['sync', 'moved', 'IFC'],
      ['remove', 'gone', 'IFC'],
    ]);
    assert.deepEqual(
      plan.tasks.map((t) => t.position),
      [0, 1, 2, 3, 4],
    );
    assert.deepEqual(
      plan.jobs.map((j) => [j.connectorType, j.state, j.result]),
      [
        ['DGN', 'NotStarted', 'Undetermined'],
        ['IFC', 'NotStarted', 'Undetermined'],
      ],
    );
    for (const task of plan.tasks) {
      assert.equal(task.jobId, plan.jobs.find((j) => j.connectorType === task.connectorType)!.id);
      assert.deepEqual([task.state, task.result, task.retryAttempts, task.runId], ['NotStarted', 'Undetermined', 0, 'run']);
    }
    const removal = plan.tasks.find((t) => t.action === 'remove')!;
    assert.deepEqual([removal.contentVersion, removal.contentSize, removal.contentHash], [null, null, 'hash-gone']);
    assert.deepEqual(plan.start, { state: 'Executing', phase: 'MasterFile', startedAt: NOW });
  });

  it('syncs a file whose storage file has no content again, named after the storage file when it is gone', () => {
    const plan = planTasks('run', [current('a', { contentHash: null, contentVersion: null, fileName: null })], [synced('a')], NOW);
    assert.ok('tasks' in plan);
    assert.equal(plan.tasks[0]!.fileName, 'file-a');
  });

  it('needs the owner’s consent for User connections only, and ends a run without it as UserNotAuthenticated', () => {
    assert.equal(needsConsent('User'), true);
    assert.equal(needsConsent('Service'), false);
    assert.deepEqual(notConsented(NOW), {
      end: {
        state: 'Completed',
        result: 'Error',
        startedAt: NOW,
        endedAt: NOW,
        releaseLease: true,
        error: { errorKey: 'UserNotAuthenticated', description: 'User is not authenticated.' },
      },
    });
  });

  it('completes a job with its last task, combining the results', () => {
    assert.equal(
      jobResult([
        { state: 'Completed', result: 'Success' },
        { state: 'Executing', result: 'Undetermined' },
      ]),
      undefined,
    );
    assert.equal(
      jobResult([
        { state: 'Completed', result: 'Success' },
        { state: 'Completed', result: 'Error' },
      ]),
      'PartialSuccess',
    );
  });
});
