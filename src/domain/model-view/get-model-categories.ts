import type { Caller } from '../caller.js';
import { MODEL_VIEW_FILES } from './model.js';
import type { ExportedFile, ModelExports } from './model-exports.js';
import { modelVersionWithCheckpoint } from './model-version.js';

/** The categories of a version's model's elements, the spaces' marked, as exported from its checkpoint. */
export async function getModelCategories(exports: ModelExports, caller: Caller, iModelId: string, key: string): Promise<ExportedFile> {
  const { imodel, changeset } = await modelVersionWithCheckpoint(exports.store, caller, iModelId, key);
  return exports.file(imodel.id, changeset, MODEL_VIEW_FILES.categories);
}
