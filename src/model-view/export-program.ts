/**
 * The model export as a one-shot program (model-exporter.ts starts it; compiled to
 * dist/model-export.js): iTwin.js's native library runs here, never in the API's process, so a large
 * model neither stalls the API's event loop nor takes it down if it crashes, and a time limit can
 * stop it. It opens one checkpoint as a Snapshot iModel, read-only (the only kind of iModel the
 * native library's licence lets twinsync use), writes the export's files into its output folder
 * (export-model.ts) and exits: 0 done, 1 failed (the reason on stderr).
 *
 * Its environment: TWINSYNC_CHECKPOINT_FILE (the Snapshot iModel), TWINSYNC_EXPORT_DIR (the output
 * folder, existing and empty), TWINSYNC_IMODEL_ID and TWINSYNC_CHANGESET_INDEX (recorded in what it
 * writes), TWINSYNC_ITWIN_CACHE_DIR (iTwin.js's cache: no iModel content).
 */
import { IModelHost, SnapshotDb } from '@itwin/core-backend';
import { startIModelHost } from '../connectors/ifc/write-imodel.js';
import { exportModel } from './export-model.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the model export runs under twinsync only`);
  return value;
}

async function main(): Promise<void> {
  const checkpoint = required('TWINSYNC_CHECKPOINT_FILE');
  const outputDir = required('TWINSYNC_EXPORT_DIR');
  const iModelId = required('TWINSYNC_IMODEL_ID');
  const changesetIndex = Number(required('TWINSYNC_CHANGESET_INDEX'));
  await startIModelHost(required('TWINSYNC_ITWIN_CACHE_DIR'));
  try {
    // Read-only: a Snapshot iModel opened by openFile is never written to.
    const db = SnapshotDb.openFile(checkpoint);
    try {
      const summary = await exportModel(db, { iModelId, changesetIndex, outputDir });
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    } finally {
      db.close();
    }
  } finally {
    await IModelHost.shutdown();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    process.exit(1);
  },
);
