import fs from 'node:fs';
import path from 'node:path';
import type { ConnectorInput } from '../../src/connectors/connector.js';

/**
 * A `sync` task's input as a worker would pass it to a connector: a stored file (`blob-<n>`, 7
 * bytes) in `root`, a fresh output folder, and a checkpoint to write; ids numbered by `n`.
 */
export function connectorInput(root: string, n: number, overrides: Partial<ConnectorInput> = {}): ConnectorInput {
  const filePath = path.join(root, `blob-${n}`);
  fs.writeFileSync(filePath, 'content');
  return {
    action: 'sync',
    connectorType: 'IFC',
    iModelId: `imodel-${n}`,
    sourceFileId: `source-${n}`,
    storageFileId: `file-${n}`,
    fileName: `f${n}.ifc`,
    filePath,
    size: 7,
    contentHash: null,
    outputDir: path.join(root, `out-${n}`),
    attempt: 0,
    signal: new AbortController().signal,
    changeset: { id: 'c'.repeat(39) + String(n % 10), index: 2, parentId: 'b'.repeat(40) },
    checkpoint: { base: path.join(root, `imodels-${n}`, '1.bim'), target: path.join(root, `imodels-${n}`, '2.bim'), iTwinId: `itwin-${n}` },
    ...overrides,
  };
}
