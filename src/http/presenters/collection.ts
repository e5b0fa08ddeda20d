import { positionOf, type Paged } from '../../domain/paging.js';

type Links = { self: { href: string }; prev?: { href: string }; next?: { href: string } };

/**
 * `_links.self/prev/next` of a collection: absolute, repeating the filter, with `$skip`/`$top`
 * written literally as the platform's examples do. `prev` only when not on the first page, `next`
 * only when more rows exist. A list with a keyset gives `next` as a `$continuationToken` (its cost
 * does not grow with the position, as `$skip`'s does); `self` repeats the request's token and `prev`
 * counts back with `$skip` (see docs/decisions.md, "Continuation tokens").
 */
export function collectionLinks(base: string, filter: Record<string, string | undefined>, paged: Paged<unknown>): Links {
  const href = (paging: string[]) => {
    const parts = Object.entries(filter)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${name}=${encodeURIComponent(value!)}`);
    parts.push(...paging);
    return { href: `${base}?${parts.join('&')}` };
  };
  const { skip, top, continuation } = paged.page;
  const position = positionOf(paged.page);
  const links: Links = {
    self: href(
      continuation ? [`$continuationToken=${continuation.token}`, ...(skip > 0 ? [`$skip=${skip}`] : []), `$top=${top}`] : [`$skip=${skip}`, `$top=${top}`],
    ),
  };
  if (position > 0) links.prev = href([`$skip=${Math.max(0, position - top)}`, `$top=${top}`]);
  if (paged.hasMore) links.next = href(paged.nextToken ? [`$continuationToken=${paged.nextToken}`, `$top=${top}`] : [`$skip=${skip + top}`, `$top=${top}`]);
  return links;
}
