/** ISO 8601 UTC with milliseconds: sorts as text, the same on SQLite and PostgreSQL. */
export function nowIso(): string {
  return new Date().toISOString();
}
