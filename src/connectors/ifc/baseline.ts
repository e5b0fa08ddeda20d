import fs from 'node:fs';
import os from 'node:os';
import { checkpointFileIn, imodelsDir } from '../../domain/imodels/imodel-file.js';
import { builtinIfcUnavailable } from '../builtin-ifc.js';
import { runProgram } from '../run-program.js';
import { CONVERTER_ARGS, CONVERTER_ENV, itwinCacheDir } from './converter.js';

export interface BaselineRequest {
  /** DATA_DIR: where iTwin.js keeps its cache, and where `target` is by default. */
  dataDir: string;
  iModelId: string;
  iTwinId: string;
  /** The root subject's name: the iModel's. */
  name: string;
  /** Default: the iModel's checkpoint of changeset index 0 (`checkpoints/0.bim`). */
  target?: string;
  /** Default 2 minutes: an empty iModel takes iTwin.js a second or two. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Writes an iModel's empty first version, the Snapshot iModel every history starts from: its
 * iModel and iTwin ids stamped, no changeset, no elements. Runs the IFC converter (action
 * `baseline`) as a child process, as every conversion does: iTwin.js's native library never loads
 * in the calling process. Written whole or not at all (the converter renames it into place);
 * writing it again gives the same iModel. Returns the file and its size; throws when it could not.
 */
export async function makeBaselineCheckpoint(request: BaselineRequest): Promise<{ size: number; file: string }> {
  const missing = builtinIfcUnavailable();
  if (missing) throw new Error(`Cannot write an iModel file: ${missing}`);
  const target = request.target ?? checkpointFileIn(imodelsDir(request.dataDir), request.iModelId, 0);
  const timeoutMs = request.timeoutMs ?? 120_000;
  const result = await runProgram({
    command: process.execPath,
    args: CONVERTER_ARGS,
    // Nothing is written there: the converter writes the target and iTwin.js its cache only.
    cwd: os.tmpdir(),
    env: {
      ...process.env,
      ...CONVERTER_ENV,
      TWINSYNC_ACTION: 'baseline',
      TWINSYNC_IMODEL_ID: request.iModelId,
      TWINSYNC_ITWIN_ID: request.iTwinId,
      TWINSYNC_IMODEL_NAME: request.name,
      TWINSYNC_CHECKPOINT_FILE: target,
      TWINSYNC_ITWIN_CACHE_DIR: itwinCacheDir(request.dataDir),
    },
    timeoutMs,
    killGraceMs: 2_000,
    signal: request.signal ?? new AbortController().signal,
    tailBytes: 2048,
  });
  if (result.ending === 'notStarted') throw new Error(`The iModel converter could not start (${result.code})`);
  if (result.ending === 'timedOut') throw new Error(`The iModel converter did not write the baseline within ${timeoutMs} ms`);
  if (result.ending === 'aborted') throw new Error('Writing the baseline was aborted');
  if (result.exitCode !== 0) {
    const why = result.stderr || result.stdout || `signal ${result.exitSignal}`;
    throw new Error(`The iModel converter failed to write the baseline (exit code ${result.exitCode}): ${why}`);
  }
  return { size: (await fs.promises.stat(target)).size, file: target };
}
