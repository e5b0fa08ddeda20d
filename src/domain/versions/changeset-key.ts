import { errors } from '../errors.js';
import type { ChangesetKey } from './repository.js';
import { CHANGESET_ID } from './model.js';

/**
 * A changeset named in a URL, as the iModels API and its client read it: all digits and shorter
 * than 40 characters is an index (from 1), 40 hexadecimal digits an id. Anything else names no
 * changeset: 404 ChangesetNotFound, like an index or id that does not exist (docs/versions.md).
 */
export function parseChangesetKey(raw: string): ChangesetKey {
  if (/^\d{1,39}$/.test(raw)) {
    const index = Number(raw);
    if (index >= 1 && Number.isSafeInteger(index)) return { index };
  } else if (CHANGESET_ID.test(raw)) return { id: raw.toLowerCase() };
  throw errors.changesetNotFound();
}
