/**
 * Store failures that are not the request's fault and not a bug: the database cannot be reached
 * (its connection was closed under us, or no new one can be opened), or its disk is full. The HTTP
 * error renderer answers them 503 (with retry-after) and 507; the worker retries its step instead
 * of giving its run up. Everything else a query throws stays what it was.
 */

/** The database connection a query ran on was lost, or none could be opened. `cause` says why. */
export class StoreUnavailable extends Error {
  constructor(cause: unknown) {
    super(`the database cannot be reached: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreUnavailable';
  }
}

export type StoreFailure = 'unavailable' | 'full';

function code(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

/**
 * PostgreSQL's SQLSTATEs and the socket errors that mean the connection, not the statement, failed:
 * class 08 (connection exception), 57P01-57P03 (terminated by an administrator, a crash, or the
 * server starting up or shutting down), 53300 (no connection slot left).
 */
export function isConnectionFailure(error: unknown): boolean {
  const c = code(error);
  if (c === undefined) return false;
  return (
    c.startsWith('08') ||
    c === '57P01' ||
    c === '57P02' ||
    c === '57P03' ||
    c === '53300' ||
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(c)
  );
}

/** What kind of store failure `error` is, if any. */
export function storeFailure(error: unknown): StoreFailure | undefined {
  if (error instanceof StoreUnavailable) return 'unavailable';
  const c = code(error);
  // SQLite's database or WAL file could not grow; PostgreSQL's disk_full; a file write in DATA_DIR.
  if (c === 'SQLITE_FULL' || c === '53100' || c === 'ENOSPC' || c === 'EDQUOT') return 'full';
  if (isConnectionFailure(error)) return 'unavailable';
  return undefined;
}

/**
 * The connection was lost after the transaction's work was done, while it committed: the server may
 * have committed it or not, and nobody can tell. Such a write must not run again (a create would be
 * applied twice): its caller gets 503, like any other lost connection.
 */
export class CommitUnknown extends StoreUnavailable {
  constructor(cause: unknown) {
    super(cause instanceof StoreUnavailable ? cause.cause : cause);
    this.name = 'CommitUnknown';
  }
}
