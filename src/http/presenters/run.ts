import { errorArticlePath } from '../../domain/runs/error-articles.js';
import type { Run } from '../../domain/runs/model.js';

/** A field without a value is left out rather than null: clients parse present dates unconditionally. */
function optional<K extends string, V>(key: K, value: V | null | undefined): Partial<Record<K, V>> {
  return value === null || value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/**
 * An error's `kbArticleLink`: the service's own page about its key (docs/errors.md), made from
 * PUBLIC_URL when presented (not stored), so errors recorded before a move follow it. A key without
 * an article keeps what was stored (a program's own link, or '').
 */
function withArticle<E extends Record<string, unknown>>(publicUrl: string, error: E, key: unknown): E {
  const path = typeof key === 'string' ? errorArticlePath(key) : undefined;
  return path === undefined ? error : { ...error, kbArticleLink: `${publicUrl}${path}` };
}

/** The run as the API shows it: `startDateTime`, `jobs` and `tasks` are always present. */
export function presentRun(publicUrl: string, run: Run) {
  return {
    id: run.id,
    connectionId: run.connectionId,
    startDateTime: run.startDateTime,
    ...optional('endDateTime', run.endDateTime),
    ...optional('phase', run.phase),
    state: run.state,
    result: run.result,
    ...optional('error', run.error && withArticle(publicUrl, run.error, run.error.errorKey)),
    jobs: run.jobs.map((job) => ({
      id: job.id,
      connectorType: job.connectorType,
      state: job.state,
      result: job.result,
      ...optional('startDateTime', job.startDateTime),
      ...optional('endDateTime', job.endDateTime),
      tasks: job.tasks.map((task) => ({
        id: task.id,
        storageFileId: task.storageFileId,
        state: task.state,
        result: task.result,
        retryAttempts: task.retryAttempts,
        ...optional('startDateTime', task.startDateTime),
        ...optional('endDateTime', task.endDateTime),
        ...optional('error', task.error && withArticle(publicUrl, task.error, task.error.descriptionKey)),
        ...optional('details', task.details),
      })),
    })),
  };
}

/** A manifest connection's run: its tasks name their `sourceFileId` (the manifest's id of the file); they have no storage file. */
export function presentManifestRun(publicUrl: string, run: Run) {
  const presented = presentRun(publicUrl, run);
  return {
    ...presented,
    jobs: presented.jobs.map((job, j) => ({
      ...job,
      tasks: job.tasks.map(({ storageFileId: _, ...task }, t) => ({ ...task, sourceFileId: run.jobs[j]!.tasks[t]!.sourceFileId })),
    })),
  };
}
