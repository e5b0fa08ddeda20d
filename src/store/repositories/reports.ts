import type { DiagnosticReport } from '../../domain/reports/model.js';
import type { ReportRepository } from '../../domain/reports/repository.js';
import type { Scope } from '../scope.js';

/** Diagnostic reports over SQL: a task's `report_id` (migration 0010), found through its run's iModel. */
export class SqlReports implements ReportRepository {
  constructor(private readonly scope: Scope) {}

  async ofRun(iModelId: string, runId: string, taskId?: string): Promise<DiagnosticReport[]> {
    let query = this.scope.db
      .selectFrom('run_tasks')
      .innerJoin('runs', 'runs.id', 'run_tasks.run_id')
      .select(['run_tasks.id as task_id', 'run_tasks.report_id', 'run_tasks.ended_at', 'runs.imodel_id'])
      .where('run_tasks.run_id', '=', runId)
      .where('runs.imodel_id', '=', iModelId)
      .where('run_tasks.report_id', 'is not', null);
    if (taskId !== undefined) query = query.where('run_tasks.id', '=', taskId);
    const rows = await query.orderBy('run_tasks.position').execute();
    return rows.map((row) => ({
      id: row.report_id!,
      iModelId: row.imodel_id,
      runId,
      taskId: row.task_id,
      // A task with a report has completed: its end is when the report was recorded.
      createdAt: row.ended_at ?? '',
    }));
  }
}
