import { type StepFile, step } from './step-file.js';

/**
 * A STEP file holding some of another's instances, exactly as written there (same ids, same
 * header): what web-ifc is given to mesh a batch of products, so that it never parses the whole
 * file at once (its memory grows with what it parses and never shrinks) and a re-synchronization
 * parses only what changed. Relationships that name many objects (materials) are rewritten to name
 * only the objects the subset holds; every other instance refers only to instances inside it.
 */
export function stepSubset(file: StepFile, ids: ReadonlySet<number>, materialRels: ReadonlyMap<number, ReadonlySet<number>> = new Map()): Uint8Array {
  // Written straight into one buffer, its size counted first: three small buffers per instance,
  // then concatenated, were tens of megabytes of garbage per subset of a few hundred thousand.
  const sorted = Uint32Array.from(ids).sort();
  let size = 0;
  for (const id of sorted) if (!materialRels.has(id)) size += file.instanceLength(id);
  const body = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const id of sorted) if (!materialRels.has(id)) offset = file.writeInstance(id, body, offset);
  const parts: Uint8Array[] = [file.header(), Buffer.from('DATA;\n'), body];
  for (const [rel, objects] of materialRels) {
    const a = file.entity(rel)?.attributes ?? [];
    const relating = step.ref(a[5]);
    if (relating === null || !ids.has(relating)) continue;
    const globalId = step.text(a[0]) ?? '0000000000000000000000';
    parts.push(Buffer.from(`#${rel}=IFCRELASSOCIATESMATERIAL('${globalId}',$,$,$,(${[...objects].map((o) => `#${o}`).join(',')}),#${relating});\n`));
  }
  parts.push(Buffer.from('ENDSEC;\nEND-ISO-10303-21;\n'));
  return Buffer.concat(parts);
}
