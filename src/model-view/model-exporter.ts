import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExportedFolder, ModelExporter } from '../domain/model-view/model-exporter.js';
import { builtinIfcUnavailable } from '../connectors/builtin-ifc.js';
import { itwinCacheDir } from '../connectors/ifc/converter.js';
import { runProgram } from '../connectors/run-program.js';

// Compiled (dist/main.js, scripts/build.mjs), the program is dist/model-export.js beside the bundle
// and runs on node alone; from the sources (tests, tsx), export-program.ts beside this file, through tsx.
const COMPILED = import.meta.url.endsWith('.js');
const PROGRAM = fileURLToPath(new URL(COMPILED ? './model-export.js' : './export-program.ts', import.meta.url));
const PROGRAM_ARGS: readonly string[] = COMPILED ? [PROGRAM] : ['--import', import.meta.resolve('tsx'), PROGRAM];

export interface ModelExporterOptions {
  /** DATA_DIR: the export's work folders are under it (`work/model-view/`), and iTwin.js's cache. */
  dataDir: string;
  /** The export is stopped after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Hears why an export failed (the domain answers 500 ModelExportFailed and keeps no reason). */
  failed?: (request: { iModelId: string; changesetIndex: number }, error: unknown) => void;
}

/**
 * The domain's ModelExporter over iTwin.js: each export is a one-shot child process
 * (export-program.ts) in a process group of its own, stopped (SIGTERM, then SIGKILL after 2 s)
 * past the time limit. A one-shot program rather than a process kept warm as the IFC converters
 * are: an export is made once per checkpoint and then served from the blob store, so the 2 to 3 s
 * iTwin.js takes to start are paid rarely, and nothing of iTwin.js stays in memory for a server
 * that shows models once in a while.
 */
export function modelExporter(options: ModelExporterOptions): ModelExporter {
  const timeoutMs = options.timeoutMs ?? 600_000;
  return {
    unavailable: builtinIfcUnavailable,
    export: async ({ checkpointFile, iModelId, changesetIndex }) => {
      const missing = builtinIfcUnavailable();
      if (missing) throw new Error(`Cannot export models: ${missing}`);
      const dir = path.join(options.dataDir, 'work', 'model-view', `${iModelId}-${changesetIndex}-${process.pid}-${randomUUID()}`);
      await fs.promises.mkdir(dir, { recursive: true });
      const folder: ExportedFolder = { dir, dispose: () => fs.promises.rm(dir, { recursive: true, force: true }) };
      try {
        const result = await runProgram({
          command: process.execPath,
          args: PROGRAM_ARGS,
          cwd: dir,
          env: {
            ...process.env,
            TWINSYNC_CHECKPOINT_FILE: checkpointFile,
            TWINSYNC_EXPORT_DIR: dir,
            TWINSYNC_IMODEL_ID: iModelId,
            TWINSYNC_CHANGESET_INDEX: String(changesetIndex),
            TWINSYNC_ITWIN_CACHE_DIR: itwinCacheDir(options.dataDir),
          },
          timeoutMs,
          killGraceMs: 2_000,
          signal: new AbortController().signal,
          tailBytes: 2048,
        });
        if (result.ending === 'notStarted') throw new Error(`The model export could not start (${result.code})`);
        if (result.ending === 'timedOut') throw new Error(`The model export did not finish within ${timeoutMs} ms`);
        if (result.ending !== 'exited' || result.exitCode !== 0) {
          const why = result.ending === 'exited' ? result.stderr || result.stdout || `signal ${result.exitSignal}` : result.ending;
          throw new Error(`The model export failed (exit code ${result.ending === 'exited' ? result.exitCode : '-'}): ${why.trim()}`);
        }
        return folder;
      } catch (error) {
        await folder.dispose();
        options.failed?.({ iModelId, changesetIndex }, error);
        throw error;
      }
    },
  };
}
