import type { ErrorDetail } from './errors.js';
import { property } from './request-body.js';

/** Platform rule: `$skip` first, then `$top`; the default page is the largest one. */
export const MAX_PAGE = 1000;

export interface Page {
  skip: number;
  top: number;
}

export interface Paged<T> {
  items: T[];
  page: Page;
  /** Whether rows exist beyond this page (decides `_links.next`). */
  hasMore: boolean;
}

const WHOLE = /^\d+$/;

/** Reads `$top`/`$skip` (names in any case); a value that is not a whole number in range is a detail. */
export function parsePage(query: Record<string, unknown>, details: ErrorDetail[]): Page {
  const read = (name: '$top' | '$skip', fallback: number, min: number, max: number) => {
    const raw = property(query, name);
    if (raw === undefined || raw === '') return fallback;
    const text = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (typeof text === 'string' && WHOLE.test(text.trim())) {
      const value = Number(text.trim());
      if (value >= min && value <= max) return value;
    }
    details.push({
      code: 'InvalidValue',
      message:
        max === Number.MAX_SAFE_INTEGER ? `${name} must be a whole number, ${min} or more.` : `${name} must be a whole number between ${min} and ${max}.`,
      target: name,
    });
    return fallback;
  };
  return { top: read('$top', MAX_PAGE, 1, MAX_PAGE), skip: read('$skip', 0, 0, Number.MAX_SAFE_INTEGER) };
}

/** Fetch one row more than the page to learn whether another page exists. */
export function toPaged<T>(rows: T[], page: Page): Paged<T> {
  return { items: rows.slice(0, page.top), page, hasMore: rows.length > page.top };
}
