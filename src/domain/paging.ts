import type { ErrorDetail } from './errors.js';
import { property } from './request-body.js';

/** Platform rule: `$skip` first, then `$top`; the default page is the largest one. */
export const MAX_PAGE = 1000;

/** The values of a list's ORDER BY columns for one item, in order (a keyset). */
export type SortKey = readonly (string | number)[];

/** Where a `$continuationToken` says the page starts. */
export interface Continuation {
  /** The sort key of the last item before the page: the page is what sorts after it. */
  after: SortKey;
  /** How many items came before the page when the token was made (for `prev` links only). */
  position: number;
  /** The token as the client sent it (repeated in `self`). */
  token: string;
}

export interface Page {
  skip: number;
  top: number;
  /** From `$continuationToken`; `$skip` then counts from there. */
  continuation?: Continuation;
}

export interface Paged<T> {
  items: T[];
  page: Page;
  /** Whether rows exist beyond this page (decides `_links.next`). */
  hasMore: boolean;
  /** The token of the next page, for lists with a keyset (`_links.next` then carries it, not `$skip`). */
  nextToken?: string;
}

/**
 * A list that can be continued by keyset: its name (a token of one list is refused by another), the
 * types of its sort key, and how an item's key is read. The store orders the list by the same columns.
 */
export interface Keyset<T> {
  name: string;
  shape: readonly ('string' | 'number')[];
  keyOf(item: T): SortKey;
}

const WHOLE = /^\d+$/;
const TOKEN = /^[A-Za-z0-9_-]{1,1024}$/;

/**
 * Reads `$top`/`$skip` (names in any case) and, for a list with a keyset, `$continuationToken`; a value
 * that is not a whole number in range, or a token this list did not give, is a detail.
 */
export function parsePage(query: Record<string, unknown>, details: ErrorDetail[], keyset?: Pick<Keyset<unknown>, 'name' | 'shape'>): Page {
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
  const page: Page = { top: read('$top', MAX_PAGE, 1, MAX_PAGE), skip: read('$skip', 0, 0, Number.MAX_SAFE_INTEGER) };
  if (keyset) {
    const raw = property(query, '$continuationToken');
    const text = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (text !== undefined && text !== '') {
      const continuation = typeof text === 'string' ? decodeToken(text, keyset) : undefined;
      if (continuation) page.continuation = continuation;
      else details.push({ code: 'InvalidValue', message: '$continuationToken is not one this list gave.', target: '$continuationToken' });
    }
  }
  return page;
}

/** Fetch one row more than the page to learn whether another page exists. */
export function toPaged<T>(rows: T[], page: Page, keyset?: Keyset<T>): Paged<T> {
  const items = rows.slice(0, page.top);
  const paged: Paged<T> = { items, page, hasMore: rows.length > page.top };
  if (keyset && paged.hasMore) {
    const position = (page.continuation?.position ?? 0) + page.skip + items.length;
    paged.nextToken = encodeToken(keyset.name, position, keyset.keyOf(items[items.length - 1]!));
  }
  return paged;
}

/** How many items come before a page: what `prev` links count back from. */
export function positionOf(page: Page): number {
  return (page.continuation?.position ?? 0) + page.skip;
}

// A token is base64url of a JSON array: the list's name, the position, then the sort key. Opaque to
// clients; nothing in it is secret (it holds values the client could read from the last item).
function encodeToken(name: string, position: number, key: SortKey): string {
  return Buffer.from(JSON.stringify([name, position, ...key])).toString('base64url');
}

function decodeToken(token: string, keyset: Pick<Keyset<unknown>, 'name' | 'shape'>): Continuation | undefined {
  if (!TOKEN.test(token)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== keyset.shape.length + 2) return undefined;
  const [name, position, ...key] = value as unknown[];
  if (name !== keyset.name || !Number.isSafeInteger(position) || (position as number) < 0) return undefined;
  for (const [i, type] of keyset.shape.entries()) {
    const part = key[i];
    if (type === 'number' ? !Number.isSafeInteger(part) : typeof part !== 'string') return undefined;
  }
  return { after: key as SortKey, position: position as number, token };
}
