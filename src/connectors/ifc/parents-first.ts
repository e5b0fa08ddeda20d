/**
 * Items in an order that puts every item's parent before it, however deep the nesting: the order
 * in which elements can be inserted when each refers to its parent's element. A cycle, which only a
 * broken file can hold, is cut where it closes (`cut` clears that item's parent).
 */
export function parentsFirst<T>(items: Iterable<T>, idOf: (item: T) => number, parentOf: (item: T) => number | null, cut: (item: T) => void): T[] {
  const byId = new Map<number, T>();
  for (const item of items) byId.set(idOf(item), item);
  const ordered: T[] = [];
  const placed = new Set<number>();
  const visit = (item: T, path: Set<number>) => {
    if (placed.has(idOf(item))) return;
    const parentId = parentOf(item);
    const parent = parentId === null ? undefined : byId.get(parentId);
    if (parent && !path.has(parentId!)) visit(parent, new Set([...path, idOf(item)]));
    else if (parent) cut(item);
    placed.add(idOf(item));
    ordered.push(item);
  };
  for (const item of byId.values()) visit(item, new Set());
  return ordered;
}
