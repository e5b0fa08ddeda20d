import type { DiagnosticReport } from './model.js';

/** Diagnostic reports of tasks, in domain terms (implemented in src/store/repositories/reports.ts). */
export interface ReportRepository {
  /**
   * The reports of the run's tasks, in execution order; of one task when `taskId` is given. None
   * when the run is not of this iModel: a run is only ever found through its iModel here.
   */
  ofRun(iModelId: string, runId: string, taskId?: string): Promise<DiagnosticReport[]>;
}
