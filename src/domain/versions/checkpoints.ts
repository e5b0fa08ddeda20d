import type { BlobStore } from '../blob-store.js';
import { checkpointKey } from '../imodels/imodel-file.js';
import type { IModel } from '../imodels/model.js';
import type { UploadSigner } from '../storage/upload-signing.js';
import type { Store } from '../store.js';
import type { CheckpointMaker } from './checkpoint-maker.js';

export type CheckpointState = 'successful' | 'notGenerated' | 'failed';

/** A checkpoint as it is answered: which version, its file's size, and whether it can be downloaded. */
export interface Checkpoint {
  iModelId: string;
  changesetIndex: number;
  /** '' for the baseline. */
  changesetId: string;
  /** 0 while there is no file. */
  size: number;
  state: CheckpointState;
  /** A signed URL's query: present when the file exists. */
  download?: { expires: number; signature: string };
}

/** The kind of signed grant a checkpoint download is (UploadSigner.signGrant). */
export const CHECKPOINT_GRANT = 'checkpoint';

export interface CheckpointsOptions {
  /**
   * Downloads answered by a redirect to the blob store's own signed URL where it has them (an
   * object store), instead of streamed through the service (BLOB_DOWNLOADS).
   */
  redirectDownloads: boolean;
}

/**
 * Checkpoints of iModels: the kept version file at or before a changeset (docs/versions.md), the
 * baseline written on first request, and the signed URLs their files download from. Files are
 * blobs (checkpointKey). Made once per app; it remembers baselines being written so concurrent
 * requests wait for one writer.
 */
export class Checkpoints {
  private readonly writing = new Map<string, Promise<number | undefined>>();

  constructor(
    readonly store: Store,
    readonly blobs: BlobStore,
    readonly signer: UploadSigner,
    private readonly maker: CheckpointMaker | undefined,
    readonly options: CheckpointsOptions = { redirectDownloads: true },
  ) {}

  /** The current-or-preceding checkpoint of the changeset with this index (0: the baseline). */
  async at(imodel: IModel, changesetIndex: number): Promise<Checkpoint> {
    const ref = await this.store.versions.checkpointAtOrBefore(imodel.id, changesetIndex);
    const base = { iModelId: imodel.id, changesetIndex: ref.changesetIndex, changesetId: ref.changesetId };
    let size = ref.size ?? undefined;
    let state: CheckpointState = 'successful';
    if (ref.changesetIndex === 0) {
      size = await this.baseline(imodel);
      // Not written: because it cannot be here (no iTwin.js), or because writing it failed.
      if (size === undefined) state = this.canMake() ? 'failed' : 'notGenerated';
    }
    if (size === undefined) return { ...base, size: 0, state };
    return { ...base, size, state, download: this.grant(imodel.id, ref.changesetIndex) };
  }

  private canMake(): boolean {
    return this.maker !== undefined && this.maker.unavailable() === undefined;
  }

  grant(iModelId: string, changesetIndex: number, nowMs = Date.now()): { expires: number; signature: string } {
    const expires = Math.floor(nowMs / 1000) + this.signer.ttlSeconds;
    return { expires, signature: this.signer.signGrant(CHECKPOINT_GRANT, [iModelId, String(changesetIndex)], expires) };
  }

  /** The baseline's size, written (and stored as a blob) first when it does not exist; undefined when it cannot be. */
  private async baseline(imodel: IModel): Promise<number | undefined> {
    const existing = (await this.blobs.head(checkpointKey(imodel.id, 0)))?.size;
    if (existing !== undefined || !this.canMake()) return existing;
    let pending = this.writing.get(imodel.id);
    if (!pending) {
      pending = this.maker!.makeBaseline(imodel)
        .then(async (made) => {
          await this.blobs.putFile(checkpointKey(imodel.id, 0), made.file);
          return made.size;
        })
        .catch(() => undefined);
      this.writing.set(imodel.id, pending);
      void pending.finally(() => this.writing.delete(imodel.id));
    }
    return pending;
  }
}
