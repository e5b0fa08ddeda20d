/** A bad connector configuration; the message names the field. */
export class ConnectorsConfigError extends Error {}

/**
 * Typed reads of a JSON value with errors that name the field by its path
 * (`CONNECTORS: types.DWG.outcomes[1].result must be one of …, got "Eror"`), so an operator can
 * find the mistake without reading our code. `undefined` means absent; `null` is a wrong type.
 */
export class ConfigReader {
  constructor(private readonly source: string) {}

  fail(at: string, problem: string, got?: unknown): never {
    const shown = got === undefined ? '' : `, got ${show(got)}`;
    throw new ConnectorsConfigError(`${this.source}: ${at || 'the value'} ${problem}${shown}`);
  }

  object(value: unknown, at: string, allowed?: readonly string[]): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(at, 'must be a JSON object', value);
    const record = value as Record<string, unknown>;
    if (allowed) {
      const unknown = Object.keys(record).find((key) => !allowed.includes(key));
      if (unknown !== undefined) this.fail(at ? `${at}.${unknown}` : unknown, `is not a known field (known: ${allowed.join(', ')})`);
    }
    return record;
  }

  array(value: unknown, at: string): unknown[] {
    if (!Array.isArray(value)) this.fail(at, 'must be a JSON array', value);
    return value;
  }

  string(value: unknown, at: string, maxLength = 1000, allowEmpty = false): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') this.fail(at, 'must be a string', value);
    if (!allowEmpty && value.length === 0) this.fail(at, 'must not be empty');
    if (value.length > maxLength) this.fail(at, `must be at most ${maxLength} characters long`);
    return value;
  }

  requiredString(value: unknown, at: string, maxLength = 1000, allowEmpty = false): string {
    return this.string(value, at, maxLength, allowEmpty) ?? this.fail(at, 'is required');
  }

  integer(value: unknown, at: string, min: number, max: number): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(at, `must be a whole number from ${min} to ${max}`, value);
    }
    return value;
  }

  requiredInteger(value: unknown, at: string, min: number, max: number): number {
    return this.integer(value, at, min, max) ?? this.fail(at, 'is required');
  }

  boolean(value: unknown, at: string): boolean | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') this.fail(at, 'must be true or false', value);
    return value;
  }

  /** Matched case-insensitively, returned as spelled in `values`. */
  oneOf<T extends string>(value: unknown, at: string, values: readonly T[]): T | undefined {
    if (value === undefined) return undefined;
    const match = typeof value === 'string' ? values.find((v) => v.toLowerCase() === value.toLowerCase()) : undefined;
    return match ?? this.fail(at, `must be one of ${values.join(', ')}`, value);
  }
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
