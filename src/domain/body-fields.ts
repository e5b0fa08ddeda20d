import type { ErrorDetail } from './errors.js';
import { isPlainObject, MalformedBody, property } from './request-body.js';

/**
 * The fields a body parser reads, declared once next to it. Parsers read names only through their
 * declaration (BodyFields, fieldReader), so reading an undeclared name does not compile; and a test
 * (test/integration/body-contract.test.ts) checks that each declaration names exactly the properties
 * the OpenAPI document gives that body. A field is `true` (a value), a declaration (an object),
 * `[declaration]` (an array of objects), or 'refusal-hint': read only to word the error for a
 * client that sends it, never accepted and so never documented.
 */
export type BodyDeclaration = { readonly [name: string]: true | 'refusal-hint' | BodyDeclaration | readonly [BodyDeclaration] };

export type FieldName<D extends BodyDeclaration> = keyof D & string;

/** Property lookup (any case, as `property`) limited to the names `declaration` declares (only its type is used). */
export function fieldReader<D extends BodyDeclaration>(declaration: D): (object: Record<string, unknown>, name: FieldName<D>) => unknown {
  return property;
}

/**
 * Reads the fields of a JSON body for the platform APIs (iTwins, iModels, Storage, access control),
 * collecting every problem as a detail in the platform's words, so one 422 reports them all.
 * Property names match in any case and unknown properties are ignored, as for storage connections.
 */
export class BodyFields<D extends BodyDeclaration> {
  readonly details: ErrorDetail[] = [];
  private readonly object: Record<string, unknown>;

  /**
   * `declaration`: the names this body may be read by (only its type is used); `prefix` names nested
   * bodies in targets, e.g. `members[0].`.
   */
  constructor(
    body: unknown,
    declaration: D,
    private readonly prefix = '',
  ) {
    if (body === undefined) {
      this.details.push({ code: 'InvalidRequestBody', message: 'A request body is required.' });
      this.object = {};
    } else if (body instanceof MalformedBody) {
      this.details.push({ code: 'InvalidRequestBody', message: body.reason });
      this.object = {};
    } else if (!isPlainObject(body)) {
      this.details.push({ code: 'InvalidRequestBody', message: 'The request body must be a JSON object.', target: prefix.replace(/\.$/, '') || undefined });
      this.object = {};
    } else this.object = body;
  }

  /** False when the body itself could not be read (then its fields are not reported missing one by one). */
  get readable(): boolean {
    return this.details.length === 0 || this.details[0]!.code !== 'InvalidRequestBody';
  }

  raw(name: FieldName<D>): unknown {
    return property(this.object, name);
  }

  missing(name: string): void {
    this.details.push({ code: 'MissingRequiredProperty', message: 'Required property is missing.', target: this.prefix + name });
  }

  invalid(name: string, message: string): void {
    this.details.push({ code: 'InvalidValue', message, target: this.prefix + name });
  }

  /** A string property; null and absent are the same. Empty strings count as missing when required. */
  string(name: FieldName<D>, rules: { required: true; maxLength?: number }): string | undefined;
  string(name: FieldName<D>, rules?: { required?: false; maxLength?: number }): string | null | undefined;
  string(name: FieldName<D>, rules: { required?: boolean; maxLength?: number } = {}): string | null | undefined {
    const value = this.raw(name);
    if (value === undefined || value === null || (rules.required && value === '')) {
      if (rules.required && this.readable) this.missing(name);
      // A required property's null is only "missing": its callers' type has no null (it was a 500).
      return value === null && !rules.required ? null : undefined;
    }
    if (typeof value !== 'string') {
      this.invalid(name, `${name} must be a string.`);
      return undefined;
    }
    if (rules.maxLength !== undefined && value.length > rules.maxLength) {
      this.invalid(name, `${name} must be at most ${rules.maxLength} characters long.`);
      return undefined;
    }
    return value;
  }

  /** A string from a fixed set, matched in any case and returned canonical. */
  oneOf<T extends string>(name: FieldName<D>, allowed: readonly T[], required: boolean): T | undefined {
    const value = this.raw(name);
    if (value === undefined || value === null || value === '') {
      if (required && this.readable) this.missing(name);
      return undefined;
    }
    const match = typeof value === 'string' ? allowed.find((a) => a.toLowerCase() === value.toLowerCase()) : undefined;
    if (!match) this.invalid(name, `${name} must be one of: ${allowed.map((a) => `'${a}'`).join(', ')}.`);
    return match;
  }
}
