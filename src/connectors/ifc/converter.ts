import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { imodelsDir } from '../../domain/imodels/imodel-file.js';

// Compiled (dist/main.js, scripts/build.mjs), the converter is dist/ifc-convert.js beside the bundle
// and runs on node alone; from the sources (tests, tsx), it is convert-program.ts beside this file
// and runs through tsx.
const COMPILED = import.meta.url.endsWith('.js');
const CONVERTER = fileURLToPath(new URL(COMPILED ? './ifc-convert.js' : './convert-program.ts', import.meta.url));

/**
 * Node's options for a converter: `gc()` exposed, so that writing collects its garbage as it goes
 * (garbage-pacer.ts) instead of letting V8 grow the heap to twice what is live.
 */
export const CONVERTER_NODE_OPTIONS: readonly string[] = ['--expose-gc'];

/**
 * How to start the converter program with process.execPath. tsx by absolute URL: the program runs
 * in a folder of its own (a task's output folder), outside node_modules' reach.
 */
export const CONVERTER_ARGS: readonly string[] = [...CONVERTER_NODE_OPTIONS, ...(COMPILED ? [CONVERTER] : ['--import', import.meta.resolve('tsx'), CONVERTER])];

/** Where the converter's iTwin.js keeps its cache: beside the iModels, holding none of their content. */
export function itwinCacheDir(dataDir: string): string {
  return path.join(imodelsDir(dataDir), '.cache');
}

// The warm converter (warm-program.ts): dist/ifc-warm.js compiled, warm-program.ts through tsx.
const WARM = fileURLToPath(new URL(COMPILED ? './ifc-warm.js' : './warm-program.ts', import.meta.url));

/** How to start the warm converter with process.execPath (see CONVERTER_ARGS). */
export const WARM_CONVERTER_ARGS: readonly string[] = [...CONVERTER_NODE_OPTIONS, ...(COMPILED ? [WARM] : ['--import', import.meta.resolve('tsx'), WARM])];

/** The cache folder of one warm converter process: its own, inside the shared one. */
export function warmCacheDir(cacheDir: string, pid: number): string {
  return path.join(cacheDir, `warm-${pid}`);
}
