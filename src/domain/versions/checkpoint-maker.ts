import type { IModel } from '../imodels/model.js';

/**
 * What writes an iModel's empty baseline checkpoint (`checkpoints/0.bim`), the Snapshot iModel a
 * history starts from: iTwin.js, in a child process (src/connectors/ifc/baseline.ts), wired in by
 * the composition root. The domain only asks for it, the first time the baseline is asked for.
 */
export interface CheckpointMaker {
  /** Why baselines cannot be written here (iTwin.js is not installed), or undefined when they can. */
  unavailable(): string | undefined;
  /**
   * Writes the baseline to a file of this machine, whole or not at all (writing it again gives the
   * same iModel): the file and its size. The caller stores it in the blob store.
   */
  makeBaseline(imodel: Pick<IModel, 'id' | 'iTwinId' | 'name'>): Promise<{ size: number; file: string }>;
}
