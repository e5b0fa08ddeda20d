import { PassThrough, type Readable } from 'node:stream';
import type { BlobStore } from '../blob-store.js';
import { errors } from '../errors.js';
import { blocksPrefix, stagedKey } from './blobs.js';
import type { StorageContext } from './context.js';
import { newStagedName, openUploadBody, receiveBody, stageContent, type UploadedContent } from './upload-file-content.js';
import type { UploadSlots } from './upload-slots.js';

/**
 * Azure's block uploads on an upload URL: Put Block (`comp=block&blockid=…`) stores one block,
 * uncommitted; Put Block List (`comp=blocklist`) names the blocks, in order, that become the
 * content, exactly as a single PUT would have sent it. Azure clients upload large files this way
 * (the Storage API tells users to, above 256 MiB), often several blocks at once and in any order.
 *
 * In the blob store, beside the staged uploads: `uploads/blocks/<fileId>.<version>/`
 * - `u-<hex of the block id>`: an uncommitted block, there only once whole;
 * - `committed.json`: the blocks of the last committed list, as ranges of the staged file they
 *   became, so that a later list may name them (`Committed`, or `Latest` without a newer upload).
 * A commit discards every uncommitted block, as Azure does.
 */

/** Azure's limits: a block id is at most 64 bytes; at most 100,000 uncommitted blocks and 50,000 in a list. */
const MAX_BLOCK_ID_BYTES = 64;
const MAX_UNCOMMITTED_BLOCKS = 100_000;
const MAX_LIST_BLOCKS = 50_000;
/** A list of 50,000 ids of 64 bytes in Base64 with their tags is about 6 MB. */
const MAX_LIST_BYTES = 8 * 1024 * 1024;

export interface BlockRequest {
  fileId: string;
  version?: string;
  expires?: string;
  signature?: string;
  contentLength?: string;
  body: Readable;
}

interface CommittedBlock {
  id: string;
  offset: number;
  size: number;
}

interface CommittedList {
  /** The staged file the blocks became; a later single PUT replaces it, and the list with it. */
  stagedName: string;
  blocks: CommittedBlock[];
}

/** Every block of an upload, committed or not (a whole PUT replaced them, or the file is gone). */
export async function discardBlocks(blobs: BlobStore, fileId: string, version: number): Promise<void> {
  await blobs.deletePrefix(blocksPrefix(fileId, version));
}

/** The hex keys of an upload's uncommitted blocks. */
async function uncommittedKeys(blobs: BlobStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const blob of blobs.list(`${prefix}u-`)) keys.push(blob.key.slice(prefix.length + 2));
  return keys;
}

/**
 * A block id as Azure takes it: Base64 of 1 to 64 bytes. Its hex form names the block's file (Base64
 * has `/`, and file systems may not tell case apart).
 */
function blockKey(blockId: string | undefined): string {
  if (blockId === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(blockId) || blockId.length % 4 !== 0) throw errors.invalidBlockId();
  const bytes = Buffer.from(blockId, 'base64');
  if (bytes.length === 0 || bytes.length > MAX_BLOCK_ID_BYTES) throw errors.invalidBlockId();
  return bytes.toString('hex');
}

/** Put Block: the body becomes an uncommitted block of the upload, replacing one of the same id. */
export async function putBlock(storage: StorageContext, request: BlockRequest & { blockId?: string }, slots: UploadSlots): Promise<UploadedContent> {
  // The URL is checked first, as for every write to it: a forged URL learns nothing about block ids.
  const { version, release } = await openUploadBody(storage, request, slots);
  try {
    const key = blockKey(request.blockId);
    const prefix = blocksPrefix(request.fileId, version);
    const names = await uncommittedKeys(storage.blobs, prefix);
    // Azure refuses ids of another length than the blob's other blocks: a client mixing them is confused.
    const committed = await readCommitted(storage.blobs, prefix);
    const lengths = new Set([...names.map((n) => n.length), ...(committed?.blocks ?? []).map((b) => Buffer.from(b.id, 'base64').length * 2)]);
    if (lengths.size > 0 && !lengths.has(key.length)) throw errors.blockIdLengthDiffers();
    if (names.length >= MAX_UNCOMMITTED_BLOCKS && !names.includes(key)) throw errors.tooManyBlocks(MAX_UNCOMMITTED_BLOCKS);
    const received = await receiveBody(storage, request.body, `${prefix}u-${key}`);
    // The upload was committed or its file deleted while the block arrived: the block has no upload left.
    const upload = await storage.store.storage.findUpload(request.fileId, version);
    if (!upload || upload.completedAt !== null) {
      await storage.blobs.delete([`${prefix}u-${key}`]);
      throw errors.uploadDiscarded();
    }
    return { size: received.size, contentHash: received.hash };
  } finally {
    release();
  }
}

type ListEntry = { kind: 'Latest' | 'Committed' | 'Uncommitted'; id: string };

/** The `<BlockList>` document of Put Block List: its entries in order, or an error naming what is wrong. */
export function parseBlockList(xml: string): ListEntry[] {
  const text = xml.replace(/^\uFEFF/, '').replace(/^\s*<\?xml[^>]*\?>/, '');
  const root = /^\s*<BlockList>([\s\S]*)<\/BlockList>\s*$/.exec(text);
  if (!root) throw errors.invalidXml('the body must be one <BlockList> element.');
  const entries: ListEntry[] = [];
  const rest = root[1]!.replace(/<(Latest|Committed|Uncommitted)>\s*([^<]*?)\s*<\/\1>/g, (_all, kind: ListEntry['kind'], id: string) => {
    entries.push({ kind, id });
    return '';
  });
  if (rest.trim() !== '') throw errors.invalidXml('<BlockList> may hold only <Latest>, <Committed> and <Uncommitted> elements, each with a block id.');
  if (entries.length > MAX_LIST_BLOCKS) throw errors.invalidBlockList(`it names ${entries.length} blocks; at most ${MAX_LIST_BLOCKS} make a blob.`);
  return entries;
}

/**
 * Put Block List: the named blocks, in the list's order, are joined into the upload's content (a
 * staged file, exactly as a single PUT makes one); every uncommitted block is then discarded. A
 * block the list names but the upload does not hold refuses the whole list and changes nothing.
 */
export async function putBlockList(storage: StorageContext, request: BlockRequest, slots: UploadSlots): Promise<UploadedContent> {
  const { version, release } = await openUploadBody(storage, request, slots);
  try {
    const entries = parseBlockList(await readSmallBody(request.body, MAX_LIST_BYTES));
    const prefix = blocksPrefix(request.fileId, version);
    const committed = await readCommitted(storage.blobs, prefix);
    const upload = await storage.store.storage.findUpload(request.fileId, version);
    // Committed blocks are ranges of the staged file they became: only while that file is the upload's content.
    const usable = committed && upload?.stagedName === committed.stagedName ? committed : undefined;
    const committedById = new Map((usable?.blocks ?? []).map((b) => [b.id, b]));
    const uncommitted = new Set(await uncommittedKeys(storage.blobs, prefix));

    const sources: Source[] = [];
    for (const entry of entries) {
      const key = blockKey(entry.id);
      const fromUncommitted = entry.kind !== 'Committed' && uncommitted.has(key);
      const old = entry.kind !== 'Uncommitted' ? committedById.get(entry.id) : undefined;
      if (fromUncommitted) {
        const blob = `${prefix}u-${key}`;
        const info = await storage.blobs.head(blob);
        if (!info) throw errors.invalidBlockList(`block ${entry.id} is no longer there (another commit took it).`);
        sources.push({ blob, start: 0, size: info.size, id: entry.id });
      } else if (old && usable) {
        sources.push({ blob: stagedKey(usable.stagedName), start: old.offset, size: old.size, id: entry.id });
      } else {
        throw errors.invalidBlockList(`it names block ${entry.id} (${entry.kind}), which this upload does not hold.`);
      }
    }
    const total = sources.reduce((sum, s) => sum + s.size, 0);
    if (total > storage.uploadLimitBytes) throw errors.payloadTooLarge(storage.uploadLimitBytes);

    const stagedName = newStagedName(request.fileId, version);
    const joined = await join(storage, sources, stagedKey(stagedName));
    const stored = await stageContent(storage, request.fileId, version, { stagedName, ...joined.received });
    const latest = await storage.store.storage.findUpload(request.fileId, version);
    if (latest?.stagedName) {
      const list: CommittedList = { stagedName: latest.stagedName, blocks: joined.blocks };
      await storage.blobs.put(`${prefix}committed.json`, Buffer.from(JSON.stringify(list)));
    }
    await storage.blobs.delete([...uncommitted].map((key) => `${prefix}u-${key}`));
    return stored;
  } finally {
    release();
  }
}

type Source = { blob: string; start: number; size: number; id: string };

/**
 * The blocks' bytes, one after the other, into one new blob, hashed and counted as they go (the
 * same path as a single PUT's body: receiveBody). Each block is read only when the one before it
 * is done, and the store's write pulls at its own pace: memory stays flat whatever the sizes.
 */
async function join(
  storage: StorageContext,
  sources: readonly Source[],
  key: string,
): Promise<{ received: { size: number; hash: string }; blocks: CommittedBlock[] }> {
  const blocks: CommittedBlock[] = [];
  let offset = 0;
  for (const source of sources) {
    blocks.push({ id: source.id, offset, size: source.size });
    offset += source.size;
  }
  const body = new PassThrough();
  const feeding = (async () => {
    for (const source of sources) {
      if (source.size === 0) continue;
      const part = await storage.blobs.get(source.blob, { start: source.start, end: source.start + source.size - 1 });
      if (!part) throw errors.invalidBlockList('one of its blocks went while the list was being committed.');
      for await (const chunk of part) {
        if (body.destroyed) {
          part.destroy();
          return; // the store's write failed: its error is the answer
        }
        // Waits until the store's write has taken what is buffered (or has failed and closed it).
        if (!body.write(chunk)) await new Promise((resolve) => body.once('drain', resolve).once('close', resolve));
      }
    }
    body.end();
  })().catch((error: unknown) => body.destroy(error as Error));
  const received = await receiveBody(storage, body, key);
  await feeding;
  return { received, blocks };
}

async function readCommitted(blobs: BlobStore, prefix: string): Promise<CommittedList | undefined> {
  const body = await blobs.get(`${prefix}committed.json`);
  if (!body) return undefined;
  try {
    return JSON.parse(await readSmallBody(body, MAX_LIST_BYTES * 2)) as CommittedList;
  } catch {
    return undefined;
  }
}

/** A small body (a block list) read whole, refused above `limit` bytes. */
async function readSmallBody(body: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) throw errors.invalidXml(`a block list is at most ${limit} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
