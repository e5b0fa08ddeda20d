/**
 * One measured process of the IFC bench (bench/ifc.ts), with its modules loaded before the clock
 * starts, so that what is timed is the work alone:
 *
 * - `convert`: the builtin connector's task, `convertTask` with the TWINSYNC_* environment the
 *   parent sets (what convert-program.ts runs);
 * - `convert-steps`: the same task's two steps called one after the other as convertTask calls
 *   them (openIfc, then writeSourceFile), with the time of each and the memory held between them;
 * - `baseline FILE TARGET CACHE_DIR`: the same meshes read with web-ifc and inserted directly with
 *   iTwin.js, as plainly as iTwin.js allows: a new Snapshot iModel, one physical model, one
 *   category, one Generic:PhysicalObject per product with an IndexedPolyface per mesh, one
 *   saveChanges.
 *
 * Prints one JSON line: the work's wall time, its phases (baseline only: the converter's are in
 * its CPU profile) and the process's peak resident set (getrusage's ru_maxrss).
 */
import fs from 'node:fs';
import { IModelHost, PhysicalModel, SnapshotDb, SpatialCategory } from '@itwin/core-backend';
import { Code, GeometryStreamBuilder, IModel, type PhysicalElementProps } from '@itwin/core-common';
import { IndexedPolyface, Point3d } from '@itwin/core-geometry';
import * as WebIFC from 'web-ifc';
import { convertTask } from '../src/connectors/ifc/convert-task.js';
import { readSourceFile } from '../src/connectors/ifc/read-source.js';
import { Warnings } from '../src/connectors/ifc/warnings.js';
import { ifcSettingsOf } from '../src/connectors/ifc/ifc-settings.js';
import { writeSourceFile } from '../src/connectors/ifc/sync-source-file.js';
import { startIModelHost } from '../src/connectors/ifc/write-imodel.js';

export interface ChildResult {
  ms: number;
  /** CPU time (user + system, all threads) over the same span: steadier than `ms` on a shared machine. */
  cpuMs: number;
  /** Peak resident set of the whole process, MB (1e6 bytes). */
  maxRssMB: number;
  /** Resident set once the modules were loaded, before the work. */
  loadedRssMB: number;
  /**
   * Over the work: context switches the process asked for (waiting: disk, locks, other threads)
   * and those it suffered (preempted: other work wanting the core), and file system writes
   * (getrusage's blocks of 512 bytes).
   */
  waits?: { voluntary: number; involuntary: number; fsWriteBlocks: number };
  phases?: Record<string, number>;
  /** Resident set after each phase, MB. */
  phaseRssMB?: Record<string, number>;
  /** convert-steps: what openIfc returned and the process held once it had. */
  read?: { products: number; rssMB: number; heapUsedMB: number; arrayBuffersMB: number };
  elements?: number;
  triangles?: number;
}

const loadedRssMB = process.memoryUsage().rss / 1e6;

async function baseline(file: string, target: string, cacheDir: string): Promise<Omit<ChildResult, 'maxRssMB' | 'loadedRssMB' | 'cpuMs'>> {
  const phases: Record<string, number> = {};
  const phaseRssMB: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    phases[name] = (phases[name] ?? 0) + (now - mark);
    phaseRssMB[name] = Math.max(phaseRssMB[name] ?? 0, process.memoryUsage.rss() / 1e6);
    mark = now;
  };
  const started = mark;
  const api = new WebIFC.IfcAPI();
  await api.Init();
  api.SetLogLevel(WebIFC.LogLevel.LOG_LEVEL_OFF);
  await startIModelHost(cacheDir);
  lap('start web-ifc and iTwin.js');
  const model = api.OpenModel(new Uint8Array(fs.readFileSync(file)));
  lap('read and parse (OpenModel)');
  fs.rmSync(target, { force: true });
  const db = SnapshotDb.createEmpty(target, { rootSubject: { name: 'baseline' } });
  const modelId = PhysicalModel.insert(db, IModel.rootSubjectId, 'baseline');
  const category = SpatialCategory.insert(db, IModel.dictionaryId, 'baseline', {});
  lap('create iModel');
  let elements = 0;
  let triangles = 0;
  api.StreamAllMeshes(model, (mesh) => {
    const builder = new GeometryStreamBuilder();
    const placed = mesh.geometries;
    for (let i = 0; i < placed.size(); i++) {
      const part = placed.get(i);
      const geometry = api.GetGeometry(model, part.geometryExpressID);
      const vertices = api.GetVertexArray(geometry.GetVertexData(), geometry.GetVertexDataSize());
      const indices = api.GetIndexArray(geometry.GetIndexData(), geometry.GetIndexDataSize());
      geometry.delete();
      const m = part.flatTransformation;
      const polyface = IndexedPolyface.create();
      for (let v = 0; v < vertices.length; v += 6) {
        const x = vertices[v]!;
        const y = vertices[v + 1]!;
        const z = vertices[v + 2]!;
        polyface.addPointXYZ(
          m[0]! * x + m[4]! * y + m[8]! * z + m[12]!,
          m[1]! * x + m[5]! * y + m[9]! * z + m[13]!,
          m[2]! * x + m[6]! * y + m[10]! * z + m[14]!,
        );
      }
      for (let t = 0; t < indices.length; t += 3) {
        polyface.addPointIndex(indices[t]!);
        polyface.addPointIndex(indices[t + 1]!);
        polyface.addPointIndex(indices[t + 2]!);
        polyface.terminateFacet();
      }
      triangles += indices.length / 3;
      builder.appendGeometry(polyface);
    }
    lap('meshes (web-ifc) and polyfaces');
    const props: PhysicalElementProps = {
      classFullName: 'Generic:PhysicalObject',
      model: modelId,
      category,
      code: Code.createEmpty(),
      placement: { origin: Point3d.createZero(), angles: {} },
      geom: builder.geometryStream,
    };
    db.elements.insertElement(props);
    elements++;
    lap('insertElement');
  });
  api.CloseModel(model);
  lap('meshes (web-ifc) and polyfaces');
  db.saveChanges('baseline');
  lap('saveChanges');
  db.close();
  await IModelHost.shutdown();
  lap('close');
  return { ms: performance.now() - started, phases, phaseRssMB, elements, triangles };
}

/** openIfc, then writeSourceFile, with the version convertTask would make of the same environment. */
async function convertSteps(env: NodeJS.ProcessEnv): Promise<Omit<ChildResult, 'maxRssMB' | 'loadedRssMB' | 'cpuMs'>> {
  const started = performance.now();
  // As convertTask reads it: checked, then opened, the text read back from the file once indexed.
  const { content } = await readSourceFile(env.TWINSYNC_INPUT_FILE!, new Warnings());
  try {
    const readMs = performance.now() - started;
    const memory = process.memoryUsage();
    const read = {
      products: content.products.length,
      rssMB: memory.rss / 1e6,
      heapUsedMB: memory.heapUsed / 1e6,
      arrayBuffersMB: memory.arrayBuffers / 1e6,
    };
    const index = Number(env.TWINSYNC_CHANGESET_INDEX);
    await writeSourceFile(
      {
        base: env.TWINSYNC_BASE_CHECKPOINT || null,
        target: env.TWINSYNC_CHECKPOINT_FILE!,
        iModelId: env.TWINSYNC_IMODEL_ID!,
        iTwinId: env.TWINSYNC_ITWIN_ID!,
        name: env.TWINSYNC_IMODEL_ID!,
        changeset: { id: env.TWINSYNC_CHANGESET_ID!, index },
        cacheDir: env.TWINSYNC_ITWIN_CACHE_DIR!,
      },
      { id: env.TWINSYNC_SOURCE_FILE_ID!, fileName: env.TWINSYNC_FILE_NAME! },
      content,
      ifcSettingsOf(env),
    );
    const ms = performance.now() - started;
    // The keys stay readIfc and writeSourceFile: what the bench prints and earlier results used.
    return { ms, phases: { readIfc: readMs, writeSourceFile: ms - readMs }, read };
  } finally {
    content.close();
  }
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  let result: Omit<ChildResult, 'maxRssMB' | 'loadedRssMB' | 'cpuMs'>;
  const cpu = process.cpuUsage();
  const usage = process.resourceUsage();
  if (mode === 'convert') {
    const started = performance.now();
    await convertTask(process.env);
    result = { ms: performance.now() - started };
  } else if (mode === 'convert-steps') {
    result = await convertSteps(process.env);
  } else if (mode === 'baseline' && args.length === 3) {
    result = await baseline(args[0]!, args[1]!, args[2]!);
  } else {
    throw new Error('usage: ifc-child.ts convert | baseline FILE TARGET CACHE_DIR');
  }
  // ru_maxrss is in kilobytes on Linux.
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const after = process.resourceUsage();
  const waits = {
    voluntary: after.voluntaryContextSwitches - usage.voluntaryContextSwitches,
    involuntary: after.involuntaryContextSwitches - usage.involuntaryContextSwitches,
    fsWriteBlocks: after.fsWrite - usage.fsWrite,
  };
  const maxRssMB = (after.maxRSS * 1024) / 1e6;
  process.stdout.write(`${JSON.stringify({ ...result, cpuMs, maxRssMB, loadedRssMB, waits } satisfies ChildResult)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
