import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { builtinIfcUnavailable } from '../src/connectors/builtin-ifc.js';
import { CONVERTER_ENV, CONVERTER_NODE_OPTIONS } from '../src/connectors/ifc/converter.js';
import { bundleIfcChild } from './ifc-bundle.js';
import type { ChildResult } from './ifc-child.js';
import { writeIfc, type GeneratedIfc, type IfcGenerateOptions } from './ifc-generate.js';
import { describeProfile, ifcProfile, type ProfileStep } from './ifc-profile.js';
import { capture } from './processes.js';

/**
 * The builtin IFC connector's figures (issue 13), each process measured on its own
 * (bench/ifc-child.ts: modules loaded first, then the work timed):
 *
 * 1. **first conversion**: one task (`convertTask`, what the converter program runs) making the first
 *    version of an iModel from a generated file of `elements` walls and slabs with property sets;
 * 2. **baseline**: the same file's meshes read with web-ifc and inserted directly with iTwin.js;
 *    conversion/baseline in elements per second is the share our reading and writing leaves;
 * 3. **re-sync**: the next version, from the first, of the same file with one element changed, as a
 *    fraction of the first conversion's time;
 *
 * in `rounds` rounds of the three, interleaved, medians reported. Then, unless `memory` is false,
 * the peak resident set of a conversion (and of the baseline) of a ~`memoryMB` MB file of extruded
 * elements and of one of faceted B-reps with many triangles.
 *
 * Each process runs bench/ifc-child.ts bundled as the converter is for production (ifc-bundle.ts),
 * not through tsx (which held about 110 MB of its own in each). Skipped, with the reason, where
 * iTwin.js is not installed.
 */
export interface IfcBenchOptions {
  dataDir: string;
  elements?: number;
  rounds?: number;
  memory?: boolean;
  /** Size of the memory figure's file of extruded elements. */
  memoryMB?: number;
  /** The many-triangles file: elements × triangles per element. */
  meshElements?: number;
  trianglesPerElement?: number;
  /** Folder for a V8 CPU profile of one first conversion and one re-sync, summarized in the result. */
  cpuProfDir?: string;
}

/** One measured process: the work's time, and spawn to exit (module loading included). */
export interface IfcRun extends ChildResult {
  processMs: number;
}

export interface IfcMemoryFigure {
  file: GeneratedIfc;
  converter: IfcRun;
  baseline: IfcRun;
}

export interface IfcBenchResult {
  elements: number;
  fileBytes: number;
  rounds: { convert: IfcRun; baseline: IfcRun; resync: IfcRun }[];
  /** Medians over the rounds. */
  convertMs: number;
  baselineMs: number;
  resyncMs: number;
  convertElementsPerSecond: number;
  baselineElementsPerSecond: number;
  /** convert / baseline elements per second (target ≥ 0.5). */
  ratio: number;
  /** The same from CPU time (medians): what the ratio would be with the machine to itself. */
  cpuRatio: number;
  /** re-sync / first conversion CPU time. */
  cpuResyncFraction: number;
  /** re-sync / first conversion time (target < 0.3). */
  resyncFraction: number;
  /** Baseline phases, median per phase. */
  baselinePhases: Record<string, number>;
  targets: { ratio: number; resyncFraction: number; peakRssMB: number; ratioMet: boolean; resyncMet: boolean; memoryMet?: boolean };
  memory?: { large: IfcMemoryFigure; triangles: IfcMemoryFigure };
  profile?: {
    convert: { sampledMs: number; steps: ProfileStep[] };
    resync: { sampledMs: number; steps: ProfileStep[] };
    /** The profiled processes (convert-steps, profiler running): read and write times. */
    steps: { convert: IfcRun; resync: IfcRun };
  };
}

export const IFC_TARGETS = { ratio: 0.5, resyncFraction: 0.3, peakRssMB: 500 };

export async function benchIfc(options: IfcBenchOptions): Promise<IfcBenchResult | { skipped: string }> {
  const unavailable = builtinIfcUnavailable();
  if (unavailable) return { skipped: unavailable };
  const elements = options.elements ?? 5000;
  const roundCount = options.rounds ?? 3;
  const dir = path.join(options.dataDir, 'ifc-bench');
  fs.mkdirSync(dir, { recursive: true });
  const cacheDir = path.join(dir, 'itwin-cache');

  const file = path.join(dir, 'model.ifc');
  const changedFile = path.join(dir, 'model-changed.ifc');
  const generated = writeIfc(file, { elements });
  writeIfc(changedFile, { elements, changed: Math.floor(elements / 2) });

  // Every measured process runs bench/ifc-child.ts bundled, with Node's options and the allocator's
  // settings, as production runs the converter (ifc-bundle.ts, converter.ts); the baseline too, which
  // makes no use of the options.
  const child = await bundleIfcChild();
  const run = (args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<IfcRun> =>
    measure([...CONVERTER_NODE_OPTIONS, ...nodeArgs, child, ...args], { ...CONVERTER_ENV, TWINSYNC_ITWIN_CACHE_DIR: cacheDir, ...env });
  const baseline = (source: string) => run(['baseline', source, path.join(dir, `baseline-${randomUUID()}.bim`), cacheDir]);
  /** One task of the converter: a version of `iModel` (index 1: the first) from `source`. */
  const convert = (iModel: BenchIModel, source: string, index: number, nodeArgs: string[] = [], mode: 'convert' | 'convert-steps' = 'convert') => {
    const outputDir = path.join(dir, 'work', randomUUID());
    fs.mkdirSync(outputDir, { recursive: true });
    const target = path.join(dir, iModel.id, `${index}.bim`);
    const env = {
      TWINSYNC_ACTION: 'sync',
      TWINSYNC_IMODEL_ID: iModel.id,
      TWINSYNC_ITWIN_ID: iModel.iTwinId,
      TWINSYNC_SOURCE_FILE_ID: iModel.sourceFileId,
      TWINSYNC_FILE_NAME: path.basename(source),
      TWINSYNC_INPUT_FILE: source,
      TWINSYNC_OUTPUT_DIR: outputDir,
      TWINSYNC_CHANGESET_ID: index.toString(16).padStart(40, '0'),
      TWINSYNC_CHANGESET_INDEX: String(index),
      TWINSYNC_BASE_CHECKPOINT: index > 1 ? path.join(dir, iModel.id, `${index - 1}.bim`) : '',
      TWINSYNC_CHECKPOINT_FILE: target,
    };
    return run([mode], env, nodeArgs).then((result) => {
      // convert-steps leaves no report: only convertTask writes one.
      const report = path.join(outputDir, 'conversion.json');
      const conversion = (fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) : {}) as Record<string, number>;
      fs.rmSync(outputDir, { recursive: true, force: true });
      return { ...result, conversion };
    });
  };

  // Unmeasured: fills the page cache with the modules.
  const warmFile = path.join(dir, 'warm.ifc');
  writeIfc(warmFile, { elements: 10 });
  await convert(newIModel(), warmFile, 1);

  const rounds: IfcBenchResult['rounds'] = [];
  for (let r = 0; r < roundCount; r++) {
    const iModel = newIModel();
    const first = await convert(iModel, file, 1);
    if (first.conversion.inserted! < elements) throw new Error(`ifc bench: ${first.conversion.inserted} elements written, ${elements} expected`);
    const plain = await baseline(file);
    if (plain.elements !== elements) throw new Error(`ifc bench: the baseline wrote ${plain.elements} elements, ${elements} expected`);
    const again = await convert(iModel, changedFile, 2);
    if (again.conversion.updated !== 1 || again.conversion.inserted !== 0 || again.conversion.deleted !== 0) {
      throw new Error(`ifc bench: the re-sync should update one element, it did ${JSON.stringify(again.conversion)}`);
    }
    fs.rmSync(path.join(dir, iModel.id), { recursive: true, force: true });
    rounds.push({ convert: withoutConversion(first), baseline: plain, resync: withoutConversion(again) });
  }

  const convertMs = median(rounds.map((r) => r.convert.ms));
  const baselineMs = median(rounds.map((r) => r.baseline.ms));
  const resyncMs = median(rounds.map((r) => r.resync.ms));
  const phaseNames = Object.keys(rounds[0]!.baseline.phases ?? {});
  const result: IfcBenchResult = {
    elements,
    fileBytes: generated.bytes,
    rounds,
    convertMs,
    baselineMs,
    resyncMs,
    convertElementsPerSecond: elements / (convertMs / 1000),
    baselineElementsPerSecond: elements / (baselineMs / 1000),
    ratio: baselineMs / convertMs,
    resyncFraction: resyncMs / convertMs,
    cpuRatio: median(rounds.map((r) => r.baseline.cpuMs)) / median(rounds.map((r) => r.convert.cpuMs)),
    cpuResyncFraction: median(rounds.map((r) => r.resync.cpuMs)) / median(rounds.map((r) => r.convert.cpuMs)),
    baselinePhases: Object.fromEntries(phaseNames.map((p) => [p, median(rounds.map((r) => r.baseline.phases?.[p] ?? 0))])),
    targets: { ...IFC_TARGETS, ratioMet: baselineMs / convertMs >= IFC_TARGETS.ratio, resyncMet: resyncMs / convertMs < IFC_TARGETS.resyncFraction },
  };

  if (options.cpuProfDir) {
    fs.mkdirSync(options.cpuProfDir, { recursive: true });
    // One folder per profile: should another thread write a profile of its own beside the main
    // thread's (tsx's module-hooks thread did), the main thread's is the larger.
    const profiled = async (work: (nodeArgs: string[]) => Promise<IfcRun & { conversion: unknown }>) => {
      const folder = path.join(options.cpuProfDir!, `ifc-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`);
      const run = withoutConversion(await work(['--cpu-prof', `--cpu-prof-dir=${folder}`]));
      const files = fs.readdirSync(folder).map((f) => path.join(folder, f));
      const main = files.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!;
      return { profile: ifcProfile(main), run };
    };
    const iModel = newIModel();
    const convertProfile = await profiled((args) => convert(iModel, file, 1, args, 'convert-steps'));
    const resyncProfile = await profiled((args) => convert(iModel, changedFile, 2, args, 'convert-steps'));
    result.profile = { convert: convertProfile.profile, resync: resyncProfile.profile, steps: { convert: convertProfile.run, resync: resyncProfile.run } };
  }

  if (options.memory ?? true) {
    const peak = async (generate: IfcGenerateOptions, name: string): Promise<IfcMemoryFigure> => {
      const source = path.join(dir, name);
      const made = writeIfc(source, generate);
      // openIfc then writeSourceFile, as convertTask calls them, with the memory held between them.
      const converter = withoutConversion(await convert(newIModel(), source, 1, [], 'convert-steps'));
      const plain = await baseline(source);
      fs.rmSync(source, { force: true });
      return { file: made, converter, baseline: plain };
    };
    // About 1 kB per extruded element with its property set (measured on the 5,000-element file).
    const large = await peak({ elements: Math.round(((options.memoryMB ?? 50) * 1e6) / (generated.bytes / elements)) }, 'large.ifc');
    const triangles = await peak(
      { elements: options.meshElements ?? 250, body: 'brep', trianglesPerElement: options.trianglesPerElement ?? 1000 },
      'triangles.ifc',
    );
    result.memory = { large, triangles };
    result.targets.memoryMet = large.converter.maxRssMB < IFC_TARGETS.peakRssMB && triangles.converter.maxRssMB < IFC_TARGETS.peakRssMB;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

interface BenchIModel {
  id: string;
  iTwinId: string;
  sourceFileId: string;
}

function newIModel(): BenchIModel {
  return { id: randomUUID(), iTwinId: randomUUID(), sourceFileId: randomUUID() };
}

function withoutConversion({ conversion: _c, ...run }: IfcRun & { conversion: unknown }): IfcRun {
  return run;
}

async function measure(args: string[], env: Record<string, string>): Promise<IfcRun> {
  const started = performance.now();
  // A clean environment, as the worker gives the converter: nothing of the caller's TWINSYNC_*.
  const { code, stdout, stderr } = await capture(process.execPath, args, { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env });
  const processMs = performance.now() - started;
  if (code !== 0) throw new Error(`ifc bench: the measured process exited with ${code}: ${stderr.trim().slice(-2000)}`);
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return { ...(JSON.parse(last) as ChildResult), processMs };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The lines `npm run bench` and bench/ifc-only.ts print. */
export function describeIfc(result: IfcBenchResult | { skipped: string }): string {
  if ('skipped' in result) return `ifc: skipped: ${result.skipped}\n`;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const met = (ok: boolean | undefined) => (ok ? 'met' : 'NOT met');
  const lines = [
    `ifc: ${result.elements} walls and slabs with property sets (${(result.fileBytes / 1e6).toFixed(1)} MB), ${result.rounds.length} rounds, medians:`,
    `  first conversion ${s(result.convertMs)} (${result.convertElementsPerSecond.toFixed(0)} elements/s); ` +
      `baseline (web-ifc + direct iTwin.js inserts) ${s(result.baselineMs)} (${result.baselineElementsPerSecond.toFixed(0)} elements/s); ` +
      `ratio ${result.ratio.toFixed(2)} (target ≥ ${result.targets.ratio}: ${met(result.targets.ratioMet)})`,
    `  re-sync with one element changed ${s(result.resyncMs)}: ${(result.resyncFraction * 100).toFixed(0)}% of the first conversion ` +
      `(target < ${result.targets.resyncFraction * 100}%: ${met(result.targets.resyncMet)})`,
    `  from CPU time instead (steadier on a shared machine): ratio ${result.cpuRatio.toFixed(2)}, re-sync ${(result.cpuResyncFraction * 100).toFixed(0)}%; ` +
      `CPU s per round (conversion / baseline / re-sync): ${result.rounds.map((r) => [r.convert.cpuMs, r.baseline.cpuMs, r.resync.cpuMs].map((v) => (v / 1000).toFixed(2)).join(' / ')).join('; ')}`,
    `  context switches voluntary/involuntary and MB written, first round: ${(['convert', 'baseline', 'resync'] as const)
      .map((k) => {
        const w = result.rounds[0]![k].waits;
        return `${k} ${w ? `${w.voluntary}/${w.involuntary}, ${((w.fsWriteBlocks * 512) / 1e6).toFixed(1)} MB` : '?'}`;
      })
      .join('; ')}`,
    `  per round (conversion / baseline / re-sync, s): ${result.rounds.map((r) => [r.convert.ms, r.baseline.ms, r.resync.ms].map((v) => (v / 1000).toFixed(2)).join(' / ')).join('; ')}`,
    `  whole process, spawn to exit, first round: conversion ${s(result.rounds[0]!.convert.processMs)}, baseline ${s(result.rounds[0]!.baseline.processMs)}, re-sync ${s(result.rounds[0]!.resync.processMs)}`,
    `  baseline phases: ${Object.entries(result.baselinePhases)
      .map(([p, ms]) => `${p} ${ms.toFixed(0)} ms`)
      .join(', ')}`,
    `  peak RSS, ${result.elements} elements: conversion ${result.rounds[0]!.convert.maxRssMB.toFixed(0)} MB, baseline ${result.rounds[0]!.baseline.maxRssMB.toFixed(0)} MB, re-sync ${result.rounds[0]!.resync.maxRssMB.toFixed(0)} MB (modules loaded: ${result.rounds[0]!.convert.loadedRssMB.toFixed(0)} MB)`,
  ];
  if (result.memory) {
    const mb = (v: number | undefined) => `${(v ?? 0).toFixed(0)} MB`;
    for (const [label, m] of [
      ['extruded', result.memory.large],
      ['many triangles', result.memory.triangles],
    ] as const) {
      const c = m.converter;
      lines.push(
        `  peak RSS, ${label}: ${(m.file.bytes / 1e6).toFixed(1)} MB file, ${m.file.elements} elements, ${m.file.triangles} triangles: ` +
          `conversion ${mb(c.maxRssMB)} in ${s(c.ms)} (target < ${result.targets.peakRssMB} MB: ${met(c.maxRssMB < result.targets.peakRssMB)}), ` +
          `baseline ${mb(m.baseline.maxRssMB)} in ${s(m.baseline.ms)}`,
        `    conversion: modules ${mb(c.loadedRssMB)}; reading (openIfc) ${s(c.phases?.readIfc ?? 0)}, then held ${mb(c.read?.rssMB)} ` +
          `(JS heap ${mb(c.read?.heapUsedMB)}, array buffers ${mb(c.read?.arrayBuffersMB)}); ` +
          `writeSourceFile ${s(c.phases?.writeSourceFile ?? 0)}`,
        `    baseline, resident set after each phase: ${Object.entries(m.baseline.phaseRssMB ?? {})
          .map(([p, v]) => `${p} ${mb(v)}`)
          .join(', ')}`,
      );
    }
  }
  let text = `${lines.join('\n')}\n`;
  if (result.profile) {
    for (const [label, profile, run] of [
      ['first conversion', result.profile.convert, result.profile.steps.convert],
      ['re-sync', result.profile.resync, result.profile.steps.resync],
    ] as const) {
      text += `  profiled ${label} (profiler running): reading (openIfc) ${s(run.phases?.readIfc ?? 0)}, writeSourceFile ${s(run.phases?.writeSourceFile ?? 0)}\n`;
      text += describeProfile(`  profile, ${label}`, profile);
    }
  }
  return text;
}
