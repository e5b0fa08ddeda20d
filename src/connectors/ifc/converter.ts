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
 * Environment for a converter: glibc's allocator told to give memory of 128 kB or more its own
 * mapping, returned to the system when freed, always. By default the threshold moves up (to 32 MB)
 * each time such a block is freed, so that the converter's buffers of a few MB (subset files,
 * meshes, iTwin.js's native work) were then carved from the heap, which fragments and is not given
 * back: measured on the 50 MB file, the resident set while writing was 50 to 70 MB higher at the
 * same points without this, for no measurable CPU time (docs/performance.md). Other C libraries
 * ignore these variables.
 */
export const CONVERTER_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' };

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
