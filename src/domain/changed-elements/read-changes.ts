import type { BlobStore } from '../blob-store.js';
import { type ElementChange, elementChangesKey, fromChangedElements } from './model.js';

/** One changeset's recorded changes. Missing or unreadable is the service's fault, not the caller's: a 5xx. */
export async function readChanges(blobs: BlobStore, iModelId: string, id: string): Promise<ElementChange[]> {
  const body = await blobs.get(elementChangesKey(iModelId, id));
  if (!body) throw new Error(`The element changes ${id} of iModel ${iModelId} are missing from the blob store.`);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  const changes = fromChangedElements(JSON.parse(Buffer.concat(chunks).toString('utf8')));
  if (!changes) throw new Error(`The element changes ${id} of iModel ${iModelId} are not in the expected shape.`);
  return changes;
}
