/** What a load generator is asked to do: the same for both targets, so that they are comparable. */
export interface Workload {
  /** Full URL of the create endpoint (the raw server answers any path). */
  url: string;
  token: string;
  iModelId: string;
  /** One storage file id per line; each request names the next unused one. */
  idsFile: string;
  expectedStatus: number;
  durationSeconds: number;
  connections: number;
  threads: number;
}

export type GeneratorName = 'wrk' | 'autocannon';

export interface LoadResult {
  generator: GeneratorName;
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses by HTTP status. */
  statuses: Record<string, number>;
  non2xx: number;
  /** Responses whose status is not `expectedStatus`. */
  unexpected: number;
  /** Connect/read/write errors and timeouts: requests that got no response at all. */
  socketErrors: number;
  /** How often a connection ran out of ids and reused them (each reuse is a 409 on twinsync). */
  idsWrapped: number;
  /** A few non-expected responses, "status body". */
  samples: string[];
  /** The generator's own report. */
  report: string;
}

export function body(iModelId: string, storageFileId: string): string {
  return `{"iModelId":"${iModelId}","displayName":"bench","sourceFiles":[{"storageFileId":"${storageFileId}","connectorType":"IFC"}]}`;
}

export function countStatuses(statuses: Record<string, number>, expected: number): { non2xx: number; unexpected: number } {
  let non2xx = 0;
  let unexpected = 0;
  for (const [status, n] of Object.entries(statuses)) {
    if (!status.startsWith('2')) non2xx += n;
    if (Number(status) !== expected) unexpected += n;
  }
  return { non2xx, unexpected };
}
