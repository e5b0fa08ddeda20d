import { createHash } from 'node:crypto';
import { type StepFile, step } from './step-file.js';

/**
 * A key of everything a product's mesh is computed from, taken from the STEP text without
 * computing the mesh: its placement (up the chain of placements), its representation (down to
 * every point), the styles applied to any item of it, the openings cut into it, and the materials
 * (and their styles) associated with it or its type. Equal keys mean web-ifc would produce the same
 * triangles, so a re-synchronization computes meshes only for products whose key changed, the
 * expensive part of reading a file.
 *
 * Each instance's hash covers its own text and the hashes of the instances it refers to (a Merkle
 * hash, memoized, so shared geometry is hashed once), plus the styles of the styled items pointing
 * at it. Ids are part of the text: a file renumbered by its exporter gets new keys everywhere and
 * is meshed again in full, which is slower, never wrong.
 */
export class GeometryKeys {
  /** Per instance slot: 0 not hashed yet, 1 being hashed, 2 hashed (its digest in `digests`). */
  private readonly state: Uint8Array;
  private readonly digests: Buffer;
  private readonly styledBy = new Map<number, number[]>();
  private readonly openingsOf = new Map<number, number[]>();
  private readonly voidsOf = new Map<number, number[]>();
  private readonly materialRelsOf = new Map<number, number[]>();
  private readonly materialsOf = new Map<number, number[]>();
  private readonly materialStyles = new Map<number, number[]>();
  private readonly typeOf = new Map<number, number>();
  private readonly materialMemo = new Map<number, number[]>();
  private readonly context: Buffer;

  constructor(
    private readonly file: StepFile,
    /** What applies to every product (the converter's revision, the unit assignment). */
    context: string,
  ) {
    this.context = createHash('sha1').update(context).digest();
    // One flat buffer of digests: a map of a million small buffers would cost ten times the memory.
    this.state = new Uint8Array(file.size);
    this.digests = Buffer.alloc(file.size * DIGEST);
    const push = (map: Map<number, number[]>, key: number | null, value: number | null) => {
      if (key === null || value === null) return;
      const list = map.get(key);
      if (list) list.push(value);
      else map.set(key, [value]);
    };
    // IfcStyledItem(Item, Styles, Name): the item it styles first.
    for (const id of file.idsOf('IFCSTYLEDITEM')) push(this.styledBy, step.ref(file.entity(id)?.attributes[0]), id);
    // IfcRelVoidsElement(…, RelatingBuildingElement 4, RelatedOpeningElement 5).
    for (const id of file.idsOf('IFCRELVOIDSELEMENT')) {
      const a = file.entity(id)?.attributes ?? [];
      push(this.openingsOf, step.ref(a[4]), step.ref(a[5]));
      push(this.voidsOf, step.ref(a[4]), id);
    }
    // IfcRelAssociatesMaterial(…, RelatedObjects 4, RelatingMaterial 5).
    for (const id of file.idsOf('IFCRELASSOCIATESMATERIAL')) {
      const a = file.entity(id)?.attributes ?? [];
      for (const object of step.refs(a[4])) {
        push(this.materialsOf, object, step.ref(a[5]));
        push(this.materialRelsOf, object, id);
      }
    }
    // IfcMaterialDefinitionRepresentation(Name, Description, Representations, RepresentedMaterial 3): a material's colour.
    for (const id of file.idsOf('IFCMATERIALDEFINITIONREPRESENTATION')) push(this.materialStyles, step.ref(file.entity(id)?.attributes[3]), id);
    for (const id of file.idsOf('IFCRELDEFINESBYTYPE')) {
      const a = file.entity(id)?.attributes ?? [];
      const type = step.ref(a[5]);
      if (type !== null) for (const object of step.refs(a[4])) this.typeOf.set(object, type);
    }
  }

  /** The key of a product's (or spatial element's) mesh, as hex. */
  keyOf(productId: number): string {
    const hash = createHash('sha1').update(this.context);
    const a = this.file.entity(productId)?.attributes ?? [];
    // ObjectPlacement (5) and Representation (6) of IfcProduct.
    hash.update(this.hashOf(step.ref(a[5]) ?? 0));
    hash.update(this.hashOf(step.ref(a[6]) ?? 0));
    // An opening by its placement and body: its own line also names its owner history, whose
    // timestamp a plain re-export changes.
    for (const opening of this.openingsOf.get(productId) ?? []) {
      const o = this.file.entity(opening)?.attributes ?? [];
      hash.update(this.hashOf(step.ref(o[5]) ?? 0));
      hash.update(this.hashOf(step.ref(o[6]) ?? 0));
    }
    const type = this.typeOf.get(productId);
    for (const owner of type === undefined ? [productId] : [productId, type]) {
      for (const material of this.materialsOf.get(owner) ?? []) {
        hash.update(this.hashOf(material));
        for (const m of this.materialsIn(material)) for (const rep of this.materialStyles.get(m) ?? []) hash.update(this.hashOf(rep));
      }
    }
    return hash.digest('hex');
  }

  /**
   * Everything web-ifc needs to mesh a product, as STEP ids: the product and what it refers to
   * (placement, representation, down to every point), the styled items of any of those and what
   * they refer to, the openings cut into it with their relationships, the material definitions of
   * it and its type with their styles, and the project (units, representation contexts). The
   * material relationships, which name many objects, are returned apart: the subset file rewrites
   * them to name only the products it holds.
   */
  collect(productId: number, into: Set<number>, materialRels: Map<number, Set<number>>): void {
    this.forward(productId, into);
    for (const project of this.file.idsOf('IFCPROJECT')) this.forward(project, into);
    for (const rel of this.voidsOf.get(productId) ?? []) this.forward(rel, into);
    const type = this.typeOf.get(productId);
    for (const owner of type === undefined ? [productId] : [productId, type]) {
      for (const rel of this.materialRelsOf.get(owner) ?? []) {
        const relating = step.ref(this.file.entity(rel)?.attributes[5]);
        if (relating === null) continue;
        this.forward(relating, into);
        for (const m of this.materialsIn(relating)) for (const rep of this.materialStyles.get(m) ?? []) this.forward(rep, into);
        if (owner === productId) {
          let products = materialRels.get(rel);
          if (!products) materialRels.set(rel, (products = new Set()));
          products.add(productId);
        }
      }
    }
  }

  /** An instance, what it refers to, and the styled items of each (iteratively: geometry nests deep). */
  private forward(id: number, into: Set<number>): void {
    const stack = [id];
    while (stack.length > 0) {
      const at = stack.pop()!;
      if (into.has(at) || !this.file.has(at)) continue;
      into.add(at);
      for (const ref of this.file.refsOf(at)) if (!into.has(ref)) stack.push(ref);
      for (const styled of this.styledBy.get(at) ?? []) if (!into.has(styled)) stack.push(styled);
    }
  }

  /** The IfcMaterial instances a material definition reaches (a set, its layers, …). */
  private materialsIn(id: number, depth = 0): number[] {
    const known = this.materialMemo.get(id);
    if (known) return known;
    const type = this.file.typeOf(id);
    // Down through sets, layers, profiles and constituents only (a profile's geometry holds no material).
    const found =
      type === 'IFCMATERIAL'
        ? [id]
        : depth > 6 || !type?.startsWith('IFCMATERIAL')
          ? []
          : this.file.refsOf(id).flatMap((ref) => this.materialsIn(ref, depth + 1));
    this.materialMemo.set(id, found);
    return found;
  }

  /** The Merkle hash of an instance (memoized; a cycle, which valid IFC does not have in these graphs, is cut). */
  private hashOf(id: number): Buffer {
    const slot = this.file.slotOf(id);
    if (slot === undefined || this.state[slot] === 1) return EMPTY;
    const at = slot * DIGEST;
    if (this.state[slot] === 2) return this.digests.subarray(at, at + DIGEST);
    this.state[slot] = 1;
    const hash = createHash('sha1').update(this.file.raw(id));
    for (const ref of this.file.refsOf(id)) hash.update(this.hashOf(ref));
    for (const styled of this.styledBy.get(id) ?? []) {
      // The styles only: the styled item's own reference back to this item would be a cycle.
      for (const style of step.refs(this.file.entity(styled)?.attributes[1])) hash.update(this.hashOf(style));
    }
    const digest = hash.digest();
    digest.copy(this.digests, at);
    this.state[slot] = 2;
    return digest;
  }
}

const EMPTY = Buffer.alloc(0);
/** SHA-1's digest size. */
const DIGEST = 20;
