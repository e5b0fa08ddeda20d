import { BodyFields, type BodyDeclaration } from '../body-fields.js';
import { errors, type ApiError, type ErrorDetail } from '../errors.js';

const MAX_NAME = 255;
const MAX_DESCRIPTION = 1024;
// Characters Windows and Azure refuse in names, and control characters.
const INVALID_CHARACTERS = /[\\/:*?"<>|\u0000-\u001f]/;
// The Storage API refuses files that "could be harmful", executables first.
const HARMFUL = /\.(exe|msi|bat|cmd|com|scr|ps1|vbs|dll)$/i;

/** What a file or folder body may hold, to create or to change it (see BodyDeclaration). */
export const ITEM_BODY = { displayName: true, description: true } as const satisfies BodyDeclaration;

export interface ItemInput {
  displayName?: string;
  description?: string | null;
}

function checkName(fields: BodyFields<typeof ITEM_BODY>, name: string | undefined, isFile: boolean): void {
  if (name === undefined) return;
  if (name.trim() === '' || name === '.' || name === '..' || INVALID_CHARACTERS.test(name)) {
    fields.invalid('displayName', 'displayName must not be blank and must not contain \\ / : * ? " < > | or control characters.');
  } else if (isFile && HARMFUL.test(name)) {
    fields.invalid('displayName', 'Executable files are not accepted.');
  }
}

/** A create body for a file or folder: `displayName` required, `description` optional. */
export function parseNewItem(body: unknown, isFile: boolean, invalid: (details: ErrorDetail[]) => ApiError): Required<ItemInput> {
  const fields = new BodyFields(body, ITEM_BODY);
  const displayName = fields.string('displayName', { required: true, maxLength: MAX_NAME });
  checkName(fields, displayName, isFile);
  const description = fields.string('description', { maxLength: MAX_DESCRIPTION });
  if (fields.details.length > 0) throw invalid(fields.details);
  return { displayName: displayName!, description: description ?? null };
}

/** A PATCH body: either property may be absent (left as it is); `description: null` clears it. */
export function parseItemChanges(body: unknown, isFile: boolean): ItemInput {
  const fields = new BodyFields(body === undefined ? {} : body, ITEM_BODY);
  const displayName = fields.string('displayName', { maxLength: MAX_NAME });
  if (displayName === null || displayName === '') fields.invalid('displayName', 'displayName must not be empty.');
  if (displayName) checkName(fields, displayName, isFile);
  const description = fields.string('description', { maxLength: MAX_DESCRIPTION });
  if (fields.details.length > 0) throw errors.invalidStorageRequest(fields.details);
  const changes: ItemInput = {};
  if (typeof displayName === 'string') changes.displayName = displayName;
  if (description !== undefined) changes.description = description;
  return changes;
}
