import fs from 'node:fs';
import path from 'node:path';

/** Where the content of a storage file version lives: DATA_DIR/blobs/<fileId>/<version>. */
export function blobPath(dataDir: string, fileId: string, version: number): string {
  return path.join(dataDir, 'blobs', fileId, String(version));
}

/** Writes a whole blob (small content known up front; streamed uploads have their own path). */
export function writeBlob(dataDir: string, fileId: string, version: number, content: Buffer): void {
  const target = blobPath(dataDir, fileId, version);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.tmp-${process.pid}`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, target);
}
