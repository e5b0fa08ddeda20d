/**
 * What a sync task reads: the stored file, an IFC (STEP) file or an `.ifczip` holding one (told by
 * content, not name), checked structurally (step-scan.ts) before web-ifc gets it, so that a
 * truncated or garbled file fails at once with a message naming the line and entity rather than
 * converting half of itself or failing without words. What the check tolerates but a user should
 * know (dangling references, repeated ids) goes into `warnings`.
 *
 * Memory: the file is read once into one Buffer; a ZIP's IFC entry is inflated into one more; the
 * scan copies nothing; web-ifc gets subsets of the text. Once the file is open, a large IFC file's
 * text is read back from the file as needed instead of held (read-ifc.ts's readBack).
 */
import fs from 'node:fs';
import { ifcInZip, isZip } from './ifc-zip.js';
import { NotAnIfcFile } from './conversion-errors.js';
import { type IfcReading, openIfc } from './read-ifc.js';
import { scanStep } from './step-scan.js';
import type { Warnings } from './warnings.js';

export interface SourceContent {
  /** Open until closed (meshes are computed on demand). */
  content: IfcReading;
  /** The IFC file's name inside the archive, when the source file is an `.ifczip`. */
  zipEntry?: string;
}

export async function readSourceFile(filePath: string, warnings: Warnings): Promise<SourceContent> {
  // Kept open so that the text is read back from this very file once indexed (openIfc's readBack),
  // whatever happens to the path meanwhile.
  const fd = fs.openSync(filePath, 'r');
  let handedOver = false;
  try {
    return await readFrom(fd, warnings, () => {
      handedOver = true;
    });
  } finally {
    if (!handedOver) fs.closeSync(fd);
  }
}

async function readFrom(fd: number, warnings: Warnings, handOver: () => void): Promise<SourceContent> {
  let bytes: Buffer = fs.readFileSync(fd);
  let zipEntry: string | undefined;
  if (isZip(bytes)) {
    const inner = await ifcInZip(bytes);
    bytes = inner.content;
    zipEntry = inner.name;
  }
  let schemas: string[];
  try {
    ({ schemas } = scanStep(bytes, warnings));
  } catch (error) {
    // Lines and entities are the inner file's: say which file that is.
    if (error instanceof NotAnIfcFile && zipEntry !== undefined) throw new NotAnIfcFile(`'${zipEntry}' in the ZIP archive: ${error.message}`);
    throw error;
  }
  try {
    // A ZIP's entry exists only inflated, in memory: held.
    const content = await openIfc(bytes, zipEntry === undefined ? { readBack: fd } : {});
    if (zipEntry === undefined) handOver();
    return { content, ...(zipEntry !== undefined && { zipEntry }) };
  } catch (error) {
    // web-ifc knows a handful of schemas; say which one the file asked for.
    if (error instanceof NotAnIfcFile && /schema/.test(error.message)) throw new NotAnIfcFile(`${error.message} (FILE_SCHEMA names ${schemas.join(', ')})`);
    throw error;
  }
}
