import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import type { ExportedFile, ModelExports } from './model-exports.js';
import { modelVersionWithCheckpoint } from './model-version.js';

/** An element id as iTwin.js writes it: `0x` and hexadecimal digits. */
const ELEMENT_ID = /^0x[0-9a-f]{1,16}$/i;

/**
 * One element of a version's model with its class, identity and properties. Only elements of the
 * export (those with graphics) have details; any other id, malformed ones included, is 404
 * ElementNotFound, as a path id that names nothing is everywhere in twinsync.
 */
export async function getModelElement(exports: ModelExports, caller: Caller, iModelId: string, key: string, elementId: string): Promise<ExportedFile> {
  const { imodel, changeset } = await modelVersionWithCheckpoint(exports.store, caller, iModelId, key);
  if (!ELEMENT_ID.test(elementId)) throw errors.elementNotFound();
  // iTwin.js writes ids in lower case without leading zeros.
  const canonical = `0x${BigInt(elementId).toString(16)}`;
  return exports.element(imodel.id, changeset, canonical);
}
