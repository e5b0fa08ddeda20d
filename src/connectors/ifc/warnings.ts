/**
 * What the converter noticed and could not do as the file asked, for the task's report and details.
 * A warning names its kind (`code`), says what happened in words a modeller understands, and lists
 * the IFC entities concerned by STEP id (`#51`), the one identifier every IFC file has: dangling
 * references point at ids that have no GlobalId, and a GlobalId may be repeated.
 */
export interface ConversionWarning {
  code: string;
  message: string;
  ifcIds: string[];
}

/** At most this many warnings travel in the task's details: the count says the rest. */
export const MAX_WARNINGS = 100;
/** At most this many entities per warning. */
export const MAX_IDS_PER_WARNING = 20;

/**
 * The warnings of one task, bounded: a file with a million problems keeps the first hundred and
 * counts the rest. `total` counts occurrences (a warning about 40 products counts 40), which is
 * what the report's `totalWarningsCount` says.
 */
export class Warnings {
  private readonly kept: ConversionWarning[] = [];
  private count = 0;
  /** The occurrences the kept warnings stand for: the rest were counted and not kept. */
  private keptCount = 0;

  add(code: string, message: string, ids: readonly (number | string)[] = [], occurrences = 1): void {
    this.count += occurrences;
    if (this.kept.length >= MAX_WARNINGS) return;
    this.keptCount += occurrences;
    const ifcIds = ids.slice(0, MAX_IDS_PER_WARNING).map((id) => (typeof id === 'number' ? `#${id}` : id));
    this.kept.push({ code, message, ifcIds });
  }

  addAll(warnings: readonly ConversionWarning[]): void {
    for (const w of warnings) this.add(w.code, w.message, w.ifcIds);
  }

  /** Another list's warnings after these, and its count of those it did not keep. */
  absorb(other: Warnings): void {
    const kept = other.list();
    this.addAll(kept);
    this.count += other.total - kept.length;
  }

  get total(): number {
    return this.count;
  }

  /** Occurrences counted in `total` that no kept warning stands for. */
  get unlisted(): number {
    return this.count - this.keptCount;
  }

  list(): ConversionWarning[] {
    return [...this.kept];
  }
}
