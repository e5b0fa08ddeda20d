import fs from 'node:fs';
import path from 'node:path';
import type { ConnectorInput } from './connector.js';

/** Where a program finds a manifest task's reference files: a JSON list in its output folder. */
export const REFERENCES_FILE = 'twinsync-references.json';

/**
 * For a manifest connection's task with children (docs/manifest-connections.md): writes the list of
 * its downloaded reference files (id, parentId, name, relativePath, filePath, size, contentHash)
 * to the output folder and names it in TWINSYNC_REFERENCES_FILE. A list, not one variable per
 * file: a manifest entry may have up to a hundred children, and a program wants their tree.
 * Nothing for tasks without references (every storage connection's).
 */
export async function referencesEnvironment(input: ConnectorInput): Promise<Record<string, string>> {
  if (!input.references || input.references.length === 0) return {};
  const file = path.join(input.outputDir, REFERENCES_FILE);
  await fs.promises.writeFile(file, `${JSON.stringify(input.references, null, 2)}\n`);
  return { TWINSYNC_REFERENCES_FILE: file };
}
