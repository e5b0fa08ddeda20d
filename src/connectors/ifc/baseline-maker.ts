import type { CheckpointMaker } from '../../domain/versions/checkpoint-maker.js';
import { builtinIfcUnavailable } from '../builtin-ifc.js';
import { makeBaselineCheckpoint } from './baseline.js';

/**
 * The domain's CheckpointMaker over iTwin.js: the converter's `baseline` action writes an iModel's
 * empty first version where the domain looks for it. `failed` hears why a write failed (the
 * domain answers the checkpoint `failed` and keeps no reason).
 */
export function baselineCheckpointMaker(dataDir: string, failed?: (iModelId: string, error: unknown) => void): CheckpointMaker {
  return {
    unavailable: builtinIfcUnavailable,
    makeBaseline: async (imodel) => {
      try {
        return await makeBaselineCheckpoint({ dataDir, iModelId: imodel.id, iTwinId: imodel.iTwinId, name: imodel.name });
      } catch (error) {
        failed?.(imodel.id, error);
        throw error;
      }
    },
  };
}
