let lastMicros = 0;

/**
 * ISO 8601 UTC with microseconds, strictly increasing within the process: lists ordered by
 * creation time stay in creation order when several records are made in the same millisecond
 * (a fast machine makes dozens). Sorts as text, the same on SQLite and PostgreSQL; JavaScript's Date
 * and .NET read the extra digits (Bentley's own timestamps carry seven).
 *
 * The milliseconds are the wall clock's; the digits below them come from the monotonic clock while
 * it agrees with the wall clock to the millisecond (they drift apart over days), else they are 000.
 */
export function nowIso(): string {
  const wall = Date.now() * 1000;
  const fine = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  let micros = fine >= wall && fine < wall + 1000 ? fine : wall;
  if (micros <= lastMicros) micros = lastMicros + 1;
  lastMicros = micros;
  const iso = new Date(Math.floor(micros / 1000)).toISOString();
  return `${iso.slice(0, -1)}${String(micros % 1000).padStart(3, '0')}Z`;
}
