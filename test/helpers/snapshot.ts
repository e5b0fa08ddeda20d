import os from 'node:os';
import path from 'node:path';
import { IModelHost, SnapshotDb } from '@itwin/core-backend';
import { startIModelHost } from '../../src/connectors/ifc/write-imodel.js';

/** What a test checks of an iModel file: opened with iTwin.js as a Snapshot iModel (read-only). */
export interface SnapshotFacts {
  iModelId: string;
  changesetId: string;
  changesetIndex: number;
  physicalElements: number;
}

export async function readSnapshot(file: string): Promise<SnapshotFacts> {
  await startIModelHost(path.join(os.tmpdir(), 'twinsync-test-imodelhost'));
  try {
    const db = SnapshotDb.openFile(file);
    try {
      const physicalElements = [...db.queryEntityIds({ from: 'BisCore.PhysicalElement' })].length;
      return { iModelId: db.iModelId, changesetId: db.changeset.id, changesetIndex: db.changeset.index ?? 0, physicalElements };
    } finally {
      db.close();
    }
  } finally {
    await IModelHost.shutdown();
  }
}
