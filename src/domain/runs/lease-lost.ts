/**
 * The worker no longer holds the run: it was taken over, cancelled, or deleted with its
 * connection. The store raises it from any step of a held run, and the transaction it was thrown
 * in rolls back, so nothing of that step lands; the worker gives the run up.
 */
export class LeaseLost extends Error {
  constructor(runId: string) {
    super(`lease of run ${runId} lost`);
    this.name = 'LeaseLost';
  }
}
