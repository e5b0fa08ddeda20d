import assert from 'node:assert/strict';

/**
 * A `_links.next` that continues by token: `<start>$continuationToken=<opaque>&$top=<top>`, where
 * `start` is the list's URL with its filter (ending in `?` or `&`). The token itself is not read.
 */
export function assertContinues(href: string | undefined, start: string, top: number): void {
  assert.ok(href, 'a next link');
  assert.ok(href.startsWith(`${start}$continuationToken=`), `${href} continues ${start}`);
  const token = href.slice(`${start}$continuationToken=`.length);
  assert.match(token, new RegExp(`^[A-Za-z0-9_-]+&\\$top=${top}$`));
}
