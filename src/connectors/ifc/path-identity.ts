import { createHash } from 'node:crypto';
import type { IfcContent } from './read-ifc.js';

/**
 * Element identity without GlobalIds (the iModel flag `ignoreIfcGlobalIds`, docs/connectors.md): an
 * entity is where it stands in the file's tree and what it is called there. Its path is the list,
 * from the root down, of each ancestor's and its own (IFC class, name, rank): the parent of a
 * spatial element is the one it is part of, of a product its aggregate or else its container; type
 * objects stand under a root of their own. The rank tells apart siblings of the same class and name
 * (two walls "Basic Wall" on one storey), counted in the file's order of STEP ids.
 *
 * An unchanged file gives the same paths, and so does a re-export that regenerates every GlobalId
 * (or renumbers every STEP id) but keeps names and structure: that is what the flag is for. A
 * renamed or moved entity, or any of its ancestors renamed or moved, gets a new path (a new
 * element), and a sibling of the same class and name removed before others shifts their ranks.
 */

/** Marks the identifiers made here: a GlobalId never holds a ':' (IFC's base 64 has none). */
export const PATH_IDENTIFIER_PREFIX = 'path:';

/** Whether an ExternalSourceAspect identifier was made here (rather than being a GlobalId). */
export function isPathIdentifier(identifier: string): boolean {
  return identifier.startsWith(PATH_IDENTIFIER_PREFIX);
}

interface Entity {
  expressId: number;
  ifcClass: string;
  name: string | null;
  /** The entity above it, by STEP id (null: a root). */
  parentId: number | null;
}

/** Each entity's path identifier, by STEP id: `path:` and 32 hex digits of the path's SHA-256 (a fixed-size, indexed key). */
export function pathIdentifiers(content: Pick<IfcContent, 'types' | 'spatial' | 'products'>): Map<number, string> {
  const entities = new Map<number, Entity>();
  for (const node of content.spatial)
    entities.set(node.expressId, { expressId: node.expressId, ifcClass: node.ifcClass, name: node.name, parentId: node.parentId });
  for (const product of content.products) {
    const parentId = product.aggregateId ?? product.containerId;
    entities.set(product.expressId, { expressId: product.expressId, ifcClass: product.ifcClass, name: product.name, parentId });
  }
  // Types have no place in the tree: they stand under a root of their own, apart from the project.
  const TYPES_ROOT = -1;
  for (const type of content.types) entities.set(type.expressId, { expressId: type.expressId, ifcClass: type.ifcClass, name: type.name, parentId: TYPES_ROOT });

  // A parent the converter does not bring in (or the types' root) counts as a root of that name.
  const parentOf = (entity: Entity): number | null =>
    entity.parentId !== null && entities.has(entity.parentId) ? entity.parentId : entity.parentId === TYPES_ROOT ? TYPES_ROOT : null;

  // Ranks among siblings of one class and name, in STEP id order.
  const ranks = new Map<number, number>();
  const seen = new Map<string, number>();
  for (const entity of [...entities.values()].sort((a, b) => a.expressId - b.expressId)) {
    const key = JSON.stringify([parentOf(entity), entity.ifcClass.toUpperCase(), entity.name ?? '']);
    const rank = seen.get(key) ?? 0;
    seen.set(key, rank + 1);
    ranks.set(entity.expressId, rank);
  }

  // Each identifier is the digest of its parent's identifier and its own step: the path's digest,
  // held as 37 characters per entity however deep the tree (not the path's text). Walked up
  // without recursion: a file may nest aggregates deeper than a call stack goes.
  const identifiers = new Map<number, string>();
  const stepOf = (entity: Entity, above: string): string => {
    // Each step written as JSON, so that no name can pass for a separator.
    const step = JSON.stringify([entity.ifcClass.toUpperCase(), entity.name ?? '', ranks.get(entity.expressId)]);
    return `${PATH_IDENTIFIER_PREFIX}${createHash('sha256').update(`${above}\n${step}`).digest('hex').slice(0, 32)}`;
  };
  for (const start of entities.values()) {
    const chain: Entity[] = [];
    const onChain = new Set<number>();
    let above = 'root';
    for (let entity: Entity | undefined = start; entity; ) {
      const known = identifiers.get(entity.expressId);
      if (known !== undefined) {
        above = known;
        break;
      }
      chain.push(entity);
      onChain.add(entity.expressId);
      const parentId = parentOf(entity);
      if (parentId === TYPES_ROOT) above = 'types';
      // A file whose aggregation loops (it happens in broken files) is cut where the loop closes.
      if (parentId === null || parentId === TYPES_ROOT || onChain.has(parentId)) break;
      entity = entities.get(parentId);
    }
    for (const entity of chain.reverse()) {
      above = stepOf(entity, above);
      identifiers.set(entity.expressId, above);
    }
  }
  // Two entities on one path (only where a loop was cut): the later one by its STEP id as well.
  const used = new Set<string>();
  for (const entity of [...entities.values()].sort((a, b) => a.expressId - b.expressId)) {
    let identifier = identifiers.get(entity.expressId)!;
    if (used.has(identifier)) identifier = `${identifier}#${entity.expressId}`;
    used.add(identifier);
    identifiers.set(entity.expressId, identifier);
  }
  return identifiers;
}
