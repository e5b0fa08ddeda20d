import type { Caller } from '../caller.js';
import { MODEL_VIEW_FILES } from './model.js';
import type { ExportedFile, ModelExports } from './model-exports.js';
import { modelVersionWithCheckpoint } from './model-version.js';

/** The graphics of a version's model as binary glTF, exported from its checkpoint on first request. */
export async function getModelGraphics(exports: ModelExports, caller: Caller, iModelId: string, key: string): Promise<ExportedFile> {
  const { imodel, changeset } = await modelVersionWithCheckpoint(exports.store, caller, iModelId, key);
  return exports.file(imodel.id, changeset, MODEL_VIEW_FILES.graphics);
}
