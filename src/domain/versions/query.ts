import type { ErrorDetail } from '../errors.js';
import { property } from '../request-body.js';

const WHOLE = /^\d{1,15}$/;

function single(query: Record<string, unknown>, name: string): unknown {
  const raw = property(query, name);
  return Array.isArray(raw) ? raw[raw.length - 1] : raw;
}

/** A whole-number query parameter (0 or more); absent or empty is undefined, anything else a detail. */
export function wholeNumber(query: Record<string, unknown>, name: string, details: ErrorDetail[]): number | undefined {
  const raw = single(query, name);
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw === 'string' && WHOLE.test(raw.trim())) return Number(raw.trim());
  details.push({ code: 'InvalidValue', message: `${name} must be a whole number, 0 or more.`, target: name });
  return undefined;
}

/**
 * `$orderBy=<property> [asc|desc]`, the one property a list sorts by (as the iModels client writes
 * it: `index desc`, `changesetIndex asc`); undefined when absent. `orderProperties` are the
 * properties the list can sort by, the first being its usual order.
 */
export function parseOrderBy<P extends string>(
  query: Record<string, unknown>,
  orderProperties: readonly [P, ...P[]],
  details: ErrorDetail[],
): { property: P; direction: 'asc' | 'desc' } | undefined {
  const raw = single(query, '$orderBy');
  if (raw === undefined || raw === '') return undefined;
  const match = typeof raw === 'string' ? /^\s*(\S+)(?:\s+(asc|desc))?\s*$/i.exec(raw) : null;
  const property = match && orderProperties.find((p) => p.toLowerCase() === match[1]!.toLowerCase());
  if (property) return { property, direction: (match[2]?.toLowerCase() as 'asc' | 'desc' | undefined) ?? 'asc' };
  const allowed = orderProperties.map((p) => `'${p}', '${p} asc' or '${p} desc'`).join('; or ');
  details.push({ code: 'InvalidValue', message: `$orderBy must be ${allowed}.`, target: '$orderBy' });
  return undefined;
}

/** A one-valued text parameter; absent or empty is undefined. */
export function text(query: Record<string, unknown>, name: string, details: ErrorDetail[]): string | undefined {
  const raw = single(query, name);
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw === 'string') return raw;
  details.push({ code: 'InvalidValue', message: `${name} must be text.`, target: name });
  return undefined;
}
