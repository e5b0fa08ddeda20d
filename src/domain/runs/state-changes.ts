import type { Run } from './model.js';

/**
 * One change of state a live stream tells (docs/webhooks.md, "Server-sent events"): a run, one of
 * its jobs or one of its tasks entered `state` (or got `result`). What a client needs to follow a run
 * without polling it; the whole run is still GET …/runs/{runId}.
 */
export interface StateChange {
  kind: 'run' | 'job' | 'task';
  connectionId: string;
  runId: string;
  jobId?: string;
  taskId?: string;
  state: string;
  result: string;
}

type Seen = Map<string, string>;

/**
 * The changes from what `seen` holds (keyed by kind and id, updated in place) to `run`, parents
 * before children except that a run's end comes after its jobs' and tasks' (a client that stops at
 * the run's Completed has seen everything before it).
 */
export function stateChanges(seen: Seen, run: Run): StateChange[] {
  const out: StateChange[] = [];
  const note = (key: string, change: StateChange) => {
    const value = `${change.state}/${change.result}`;
    if (seen.get(key) === value) return;
    seen.set(key, value);
    out.push(change);
  };
  const base = { connectionId: run.connectionId, runId: run.id };
  const runChange: StateChange = { kind: 'run', ...base, state: run.state, result: run.result };
  if (run.state !== 'Completed') note(`run:${run.id}`, runChange);
  for (const job of run.jobs) {
    note(`job:${job.id}`, { kind: 'job', ...base, jobId: job.id, state: job.state, result: job.result });
    for (const task of job.tasks) note(`task:${task.id}`, { kind: 'task', ...base, jobId: job.id, taskId: task.id, state: task.state, result: task.result });
  }
  if (run.state === 'Completed') note(`run:${run.id}`, runChange);
  return out;
}
