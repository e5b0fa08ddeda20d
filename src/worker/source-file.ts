import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { contentKey, stagedKey } from '../domain/storage/blobs.js';
import type { StoredContent } from '../domain/storage/model.js';
import type { WorkerContext } from './context.js';

/**
 * The content a task synchronizes, as a file a connector can read. A completed version never
 * changes: the local store hands out its own file, an object store a copy at `copyPath`. Content
 * PUT but not completed (a staged upload) may be replaced by the next PUT, which removes the blob
 * it replaces: it is copied to `copyPath` at once (read from a handle opened first, so the copy is
 * whole), and the task converts that copy whatever arrives meanwhile. Replaced before even that:
 * the attempt fails and is retried, reading what the file holds then.
 */
export async function sourceFileOf(ctx: WorkerContext, storageFileId: string, content: StoredContent, copyPath: string): Promise<string | null> {
  if (content.stagedName === null) return (await ctx.blobs.localFile(contentKey(storageFileId, content.version), copyPath)) ?? null;
  const body = await ctx.blobs.get(stagedKey(content.stagedName));
  if (!body) throw new Error('the uploaded content was replaced as the task started; the next attempt reads the new content');
  await fs.promises.mkdir(path.dirname(copyPath), { recursive: true });
  await pipeline(body, fs.createWriteStream(copyPath));
  return copyPath;
}
