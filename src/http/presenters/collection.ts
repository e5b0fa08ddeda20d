import type { Paged } from '../../domain/paging.js';

/**
 * `_links.self/prev/next` of a collection: absolute, repeating the filter, with `$skip`/`$top`
 * written literally as the platform's examples do. `prev` only when not on the first page, `next`
 * only when more rows exist.
 */
export function collectionLinks(base: string, filter: Record<string, string | undefined>, paged: Paged<unknown>) {
  const href = (skip: number) => {
    const parts = Object.entries(filter)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${name}=${encodeURIComponent(value!)}`);
    parts.push(`$skip=${skip}`, `$top=${paged.page.top}`);
    return { href: `${base}?${parts.join('&')}` };
  };
  const { skip, top } = paged.page;
  const links: { self: { href: string }; prev?: { href: string }; next?: { href: string } } = { self: href(skip) };
  if (skip > 0) links.prev = href(Math.max(0, skip - top));
  if (paged.hasMore) links.next = href(skip + top);
  return links;
}
