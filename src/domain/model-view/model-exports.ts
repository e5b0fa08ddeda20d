import path from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobStore } from '../blob-store.js';
import { errors } from '../errors.js';
import { checkpointFileIn, checkpointKey, imodelsDir } from '../imodels/imodel-file.js';
import type { Store } from '../store.js';
import type { Changeset } from '../versions/model.js';
import { MODEL_VIEW_FILES, MODEL_VIEW_FORMAT, modelViewKey } from './model.js';
import type { ModelExporter } from './model-exporter.js';

/** An exported file (or part of one) ready to be sent. */
export interface ExportedFile {
  size: number;
  /** The bytes, or a range of them (inclusive); undefined when the blob went since. */
  read(range?: { start: number; end: number }): Promise<Readable | undefined>;
  /** The same for every answer about this version: its content never changes (docs/model-view.md). */
  etag: string;
}

/** Exports made at once by one process at most: each is a child process holding a whole model. */
const CONCURRENT_EXPORTS = 2;
/** Details indexes kept in memory (one per version whose elements were asked for lately). */
const INDEXES_KEPT = 16;

/**
 * The exported models of versions (docs/model-view.md): made from a checkpoint the first time one
 * is asked for, by the ModelExporter (iTwin.js in a child process), and kept in the blob store under
 * the iModel's prefix, so that every later request, from any process, is served from there, and
 * deleting the iModel (or pruning the checkpoint) deletes them. The summary is stored last: while
 * it is missing, the export is made (again). Requests in one process for a version being exported
 * wait for that export; two processes may both export one version, writing the same bytes.
 */
export class ModelExports {
  private readonly exporting = new Map<string, Promise<void>>();
  private readonly indexes = new Map<string, Promise<Record<string, [number, number]>>>();
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    readonly store: Store,
    private readonly blobs: BlobStore,
    private readonly exporter: ModelExporter | undefined,
    private readonly dataDir: string,
  ) {}

  /** One exported file of the version, exporting it first when it is not in the blob store yet. */
  async file(iModelId: string, changeset: Changeset, name: string): Promise<ExportedFile> {
    await this.ensure(iModelId, changeset.index);
    const key = modelViewKey(iModelId, changeset.index, name);
    const info = await this.blobs.head(key);
    // Exported files go only with their checkpoint (pruned) or their iModel (deleted).
    if (!info) throw errors.checkpointPruned(changeset.index);
    return { size: info.size, read: (range) => this.blobs.get(key, range), etag: etagOf(changeset) };
  }

  /** One element's details (`{"element": …}`): its line of the details file, found through the details index. */
  async element(iModelId: string, changeset: Changeset, elementId: string): Promise<ExportedFile> {
    await this.ensure(iModelId, changeset.index);
    const at = (await this.detailsIndex(iModelId, changeset.index))[elementId];
    if (!at) throw errors.elementNotFound();
    const [start, length] = at;
    const key = modelViewKey(iModelId, changeset.index, MODEL_VIEW_FILES.details);
    return {
      size: length,
      // A range of the answer is a range of the line.
      read: (range) => this.blobs.get(key, range ? { start: start + range.start, end: start + range.end } : { start, end: start + length - 1 }),
      etag: etagOf(changeset),
    };
  }

  /** Makes the export of the version unless the blob store has it whole (its summary). */
  private async ensure(iModelId: string, changesetIndex: number): Promise<void> {
    if (await this.blobs.head(modelViewKey(iModelId, changesetIndex, MODEL_VIEW_FILES.summary))) return;
    const why = this.exporter ? this.exporter.unavailable() : 'no model exporter is configured';
    if (why !== undefined) throw errors.modelExportUnavailable(why);
    const id = `${iModelId}/${changesetIndex}`;
    let pending = this.exporting.get(id);
    if (!pending) {
      pending = this.limited(() => this.export(iModelId, changesetIndex));
      this.exporting.set(id, pending);
      void pending.finally(() => this.exporting.delete(id)).catch(() => undefined);
    }
    return pending;
  }

  private async export(iModelId: string, changesetIndex: number): Promise<void> {
    // With an object store, this machine's copy of the checkpoint (the worker keeps them at the same place).
    const checkpointFile = await this.blobs.localFile(
      checkpointKey(iModelId, changesetIndex),
      checkpointFileIn(imodelsDir(this.dataDir), iModelId, changesetIndex),
    );
    if (!checkpointFile) throw errors.checkpointPruned(changesetIndex);
    let folder: Awaited<ReturnType<ModelExporter['export']>>;
    try {
      folder = await this.exporter!.export({ checkpointFile, iModelId, changesetIndex });
    } catch {
      // The exporter logs why (the composition root gives it the logger): the caller learns it failed.
      throw errors.modelExportFailed();
    }
    try {
      const { summary, ...rest } = MODEL_VIEW_FILES;
      await Promise.all(Object.values(rest).map((name) => this.blobs.putFile(modelViewKey(iModelId, changesetIndex, name), path.join(folder.dir, name))));
      await this.blobs.putFile(modelViewKey(iModelId, changesetIndex, summary), path.join(folder.dir, summary));
    } finally {
      await folder.dispose();
    }
  }

  private detailsIndex(iModelId: string, changesetIndex: number): Promise<Record<string, [number, number]>> {
    const id = `${iModelId}/${changesetIndex}`;
    let index = this.indexes.get(id);
    if (index) {
      // Most recently used last: the first is the one to forget.
      this.indexes.delete(id);
    } else {
      index = this.readJson<Record<string, [number, number]>>(modelViewKey(iModelId, changesetIndex, MODEL_VIEW_FILES.detailsIndex));
      // A failed read is not kept.
      index.catch(() => this.indexes.delete(id));
    }
    this.indexes.set(id, index);
    if (this.indexes.size > INDEXES_KEPT) this.indexes.delete(this.indexes.keys().next().value!);
    return index;
  }

  private async readJson<T>(key: string): Promise<T> {
    const body = await this.blobs.get(key);
    if (!body) throw new Error(`${key} is missing from the blob store`);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
  }

  /** Runs `work` once fewer than CONCURRENT_EXPORTS exports are running in this process. */
  private async limited<T>(work: () => Promise<T>): Promise<T> {
    // A finished export hands its place to the next one waiting, so that none starts past the limit meanwhile.
    if (this.running >= CONCURRENT_EXPORTS) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** Exports are per checkpoint and format, and a checkpoint never changes: its changeset's id and the format name the content. */
function etagOf(changeset: Changeset): string {
  return `"m${MODEL_VIEW_FORMAT}-${changeset.id}"`;
}
