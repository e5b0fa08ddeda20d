import type { Caller } from '../caller.js';
import { MODEL_VIEW_FILES } from './model.js';
import type { ExportedFile, ModelExports } from './model-exports.js';
import { modelVersionWithCheckpoint } from './model-version.js';

/**
 * One of the files exported from a version's checkpoint, whole, exported on first request: the
 * graphics (binary glTF), the elements its graphics show, or their categories (the spaces' marked).
 * The three operations that answer them differ only in which file.
 */
export async function getModelFile(
  exports: ModelExports,
  caller: Caller,
  iModelId: string,
  key: string,
  which: 'graphics' | 'elements' | 'categories',
): Promise<ExportedFile> {
  const { imodel, changeset } = await modelVersionWithCheckpoint(exports.store, caller, iModelId, key);
  return exports.file(imodel.id, changeset, MODEL_VIEW_FILES[which]);
}
