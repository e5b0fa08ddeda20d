import fs from 'node:fs';

/**
 * Where a converter process's time went, from its V8 CPU profile (`node --cpu-prof`): the total
 * (inclusive) time of the steps of a task, each found by its function's name and file. Native
 * work (web-ifc's WebAssembly, iTwin.js's C++) counts for the JavaScript function that called it.
 * An async function's code after an `await` runs with no caller on the stack, so the steps are
 * listed flat, in the order a task takes them; only those known to run inside the step above them
 * are indented. Steps are found by name: a step the converter no longer has is left out.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileStep {
  step: string;
  /** Nesting depth: 1 is inside the step above it at depth 0. */
  depth: number;
  ms: number;
}

/** [label, depth, function name, a part of its file's URL]. */
const STEPS: readonly (readonly [string, number, string, string])[] = [
  // Reading: openIfc (since 2026-12-06: the STEP text indexed by our own reader, meshes on demand),
  // or readIfc (before: everything through web-ifc, all meshes at once).
  ['openIfc: opening the file', 0, 'openIfc', 'read-ifc.ts'],
  ['readIfc: reading the file with web-ifc', 0, 'readIfc', 'read-ifc.ts'],
  ['web-ifc Init (WebAssembly)', 1, 'Init', 'web-ifc'],
  ['stepSubset (a subset of the file for web-ifc)', 1, 'stepSubset', 'step-subset.ts'],
  ['OpenModel (web-ifc parsing STEP)', 1, 'OpenModel', 'web-ifc'],
  ['StepFile.index (our STEP index)', 1, 'index', 'step-file.ts'],
  ['property sets (GetLine per relation, set, property)', 1, 'propertySets', 'read-ifc.ts'],
  ['spatial structure', 1, 'readStructure', 'read-structure.ts'],
  ['readData (property sets, quantities, materials, ...)', 1, 'readData', 'read-data.ts'],
  ['geometry keys', 1, 'keyOf', 'geometry-key.ts'],
  ['StreamAllMeshesWithTypes (spaces)', 1, 'StreamAllMeshesWithTypes', 'web-ifc'],
  ['StreamAllMeshes (meshing and the callbacks below: before 2026-12-06)', 1, 'StreamAllMeshes', 'web-ifc'],
  ['product(): GetLine, class name', 2, 'product', 'read-ifc.ts'],
  ['IModelHost.startup', 0, 'startIModelHost', 'write-imodel.ts'],
  ['new version: createEmpty, or a copy of the previous', 0, 'openNewVersion', 'write-imodel.ts'],
  ['ensureIfcSchema', 0, 'ensureIfcSchema', 'ifc-schema.ts'],
  ['DynamicSchema.load', 0, 'load', 'dynamic-schema.ts'],
  ['knownElements (aspect query)', 0, 'knownElements', 'provenance.ts'],
  ['containmentIn (query)', 0, 'containmentIn', 'sync-source-file.ts'],
  ['federationGuidsOutside (query)', 0, 'federationGuidsOutside', 'provenance.ts'],
  ['checksums (SHA-256)', 0, 'checksum', 'element-props.ts'],
  // Since 2026-12-06 elements are written from inside StreamMeshes' callback: its total includes
  // the inserts below; before, meshesOf ran inside StreamAllMeshes, in readIfc.
  ['StreamMeshes (web-ifc meshing, and the writing done in its callback)', 0, 'StreamMeshes', 'web-ifc'],
  ['OpenModel of each subset (web-ifc parsing)', 1, 'OpenModel', 'web-ifc'],
  ['stepSubset (each batch of products as a file for web-ifc)', 1, 'stepSubset', 'step-subset.ts'],
  ['meshesOf: copy out, place, Z up', 1, 'meshesOf', 'read-ifc.ts'],
  ['element props + geometry stream (polyfaces)', 0, 'productElementProps', 'element-props.ts'],
  ['insertElement', 0, 'insertElement', 'core-backend'],
  ['insertAspect (all aspects)', 0, 'insertAspect', 'core-backend'],
  ['insertDataAspects (property set aspects)', 1, 'insertDataAspects', 'sync-source-file.ts'],
  ['updateElement', 0, 'updateElement', 'core-backend'],
  ['updateAspect', 0, 'updateAspect', 'core-backend'],
  ['relateToContainer (insertInstance)', 0, 'relateToContainer', 'sync-source-file.ts'],
  ['deleteElement', 0, 'deleteElement', 'core-backend'],
  ['project extents', 0, 'updateProjectExtents', 'sync-source-file.ts'],
  ['saveChanges', 0, 'saveChanges', 'core-backend'],
  ['closing as a version: VACUUM when worth it, rollback journal (reopened as SQLite)', 0, 'closeAsVersion', 'write-imodel.ts'],
  ['IModelHost.shutdown', 0, 'shutdown', 'core-backend'],
  ['garbage collector', 0, '(garbage collector)', ''],
  ['idle', 0, '(idle)', ''],
];

export function ifcProfile(file: string): { sampledMs: number; steps: ProfileStep[] } {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Which steps each node's own frame is.
  const stepsOf = new Map<number, number[]>();
  for (const n of profile.nodes) {
    const hits = STEPS.flatMap(([, , name, url], i) => (n.callFrame.functionName === name && n.callFrame.url.includes(url) ? [i] : []));
    if (hits.length > 0) stepsOf.set(n.id, hits);
  }
  const totals = new Array<number>(STEPS.length).fill(0);
  let sampled = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    sampled += dt;
    const seen = new Set<number>();
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      for (const step of stepsOf.get(id) ?? []) seen.add(step);
      if (!byId.has(id)) break;
    }
    for (const step of seen) totals[step]! += dt;
  }
  return {
    sampledMs: sampled / 1000,
    steps: STEPS.map(([step, depth], i) => ({ step, depth, ms: totals[i]! / 1000 })).filter((s) => s.ms > 0),
  };
}

export function describeProfile(title: string, profile: { sampledMs: number; steps: ProfileStep[] }): string {
  const lines = [`${title} (${profile.sampledMs.toFixed(0)} ms of samples, loading modules included; an indented step is part of the one above)`];
  for (const s of profile.steps) lines.push(`${'  '.repeat(s.depth + 1)}${s.ms.toFixed(0).padStart(6)} ms  ${s.step}`);
  return `${lines.join('\n')}\n`;
}

// `npx tsx bench/ifc-profile.ts FILE.cpuprofile`: the same table for a profile taken by hand.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: ifc-profile FILE.cpuprofile');
  process.stdout.write(describeProfile(file, ifcProfile(file)));
}
