import type { BodyDeclaration } from '../body-fields.js';
import { fieldReader } from '../body-fields.js';
import type { ErrorDetail } from '../errors.js';
import { canonicalGuid, isGuid } from '../ids.js';
import { isPlainObject } from '../request-body.js';
import { detail, MAX_SOURCE_FILES, parseAuthenticationTypeField, parseDisplayName, UPDATE_CONNECTION_BODY } from '../storage-connections/create-body.js';
import type { AuthenticationType } from '../storage-connections/model.js';

/**
 * What a manifest source file id may be: the id a document system gives a file, as it appears in a
 * URL path segment (letters, digits, `.`, `_`, `~`, `-`), up to 128 characters. Bentley's examples are
 * 43-character base64url ids and 8-digit hex ids; both fit (docs/manifest-connections.md).
 */
export const SOURCE_FILE_ID_PATTERN = '^[A-Za-z0-9._~-]{1,128}$';
const SOURCE_FILE_ID = new RegExp(SOURCE_FILE_ID_PATTERN);

export function isManifestSourceFileId(value: unknown): value is string {
  return typeof value === 'string' && SOURCE_FILE_ID.test(value);
}

/** One manifest source file, in a create body or alone (add and update source file). */
export const MANIFEST_SOURCE_FILE_BODY = { sourceFileId: true } as const satisfies BodyDeclaration;
/** The update body: the same two fields as a storage connection's. */
export const UPDATE_MANIFEST_CONNECTION_BODY = UPDATE_CONNECTION_BODY;
export const CREATE_MANIFEST_CONNECTION_BODY = {
  iModelId: true,
  sourceFiles: [MANIFEST_SOURCE_FILE_BODY],
  ...UPDATE_CONNECTION_BODY,
} as const satisfies BodyDeclaration;
const createField = fieldReader(CREATE_MANIFEST_CONNECTION_BODY);
const sourceFileField = fieldReader(MANIFEST_SOURCE_FILE_BODY);

export interface CreateManifestConnectionInput {
  iModelId: string;
  displayName: string;
  authenticationType: AuthenticationType;
  sourceFileIds: string[];
}

export const manifestDetail = {
  missingSourceFileId: (target = 'sourceFileId'): ErrorDetail => ({
    code: 'MissingRequiredProperty',
    message: 'A property required to create or update a connection is missing.',
    target,
  }),
  invalidSourceFileId: (target = 'sourceFileId'): ErrorDetail => ({
    code: 'InvalidValue',
    message: 'Provided sourceFileId value is not valid: 1 to 128 letters, digits, ".", "_", "~" or "-".',
    target,
  }),
};

const absent = (value: unknown) => value === undefined || value === null;

/** Checks a create body; every problem is one detail. `iModelId` is returned when well formed, so its existence is checked too. */
export function parseCreateManifestConnection(body: Record<string, unknown>): {
  input?: CreateManifestConnectionInput;
  details: ErrorDetail[];
  iModelId?: string;
} {
  const details: ErrorDetail[] = [];
  let iModelId: string | undefined;
  const rawIModelId = createField(body, 'iModelId');
  if (absent(rawIModelId) || rawIModelId === '') details.push(detail.missingIModelId());
  else if (typeof rawIModelId !== 'string' || !isGuid(rawIModelId)) details.push(detail.invalidIModelId());
  else iModelId = canonicalGuid(rawIModelId);

  const sourceFileIds: string[] = [];
  const raw = createField(body, 'sourceFiles');
  if (absent(raw)) details.push(detail.missing('sourceFiles'));
  else if (!Array.isArray(raw)) details.push(detail.invalid('sourceFiles', 'sourceFiles must be an array.'));
  else if (raw.length === 0) details.push(detail.noSourceFiles());
  else if (raw.length > MAX_SOURCE_FILES) {
    details.push(detail.invalid('sourceFiles', `At most ${MAX_SOURCE_FILES} source files can be included in one request.`));
  } else {
    const seen = new Set<string>();
    for (const entry of raw) {
      const id = parseManifestSourceFile(entry, details, 'sourceFiles');
      if (id === undefined) continue;
      if (seen.has(id)) details.push(detail.invalid('sourceFileId', 'Provided sourceFileId value is listed more than once.'));
      else {
        seen.add(id);
        sourceFileIds.push(id);
      }
    }
  }
  const displayName = parseDisplayName(body, details) ?? '';
  const authenticationType = parseAuthenticationTypeField(body, details) ?? 'User';
  if (details.length > 0 || iModelId === undefined) return { details, iModelId };
  return { input: { iModelId, displayName, authenticationType, sourceFileIds }, details, iModelId };
}

/** One `{sourceFileId}`; shared with add and update source file. */
export function parseManifestSourceFile(entry: unknown, details: ErrorDetail[], where = ''): string | undefined {
  if (!isPlainObject(entry)) {
    details.push(detail.invalid(where || 'body', 'Each source file must be an object with sourceFileId.'));
    return undefined;
  }
  const raw = sourceFileField(entry, 'sourceFileId');
  if (absent(raw) || raw === '') details.push(manifestDetail.missingSourceFileId());
  else if (!isManifestSourceFileId(raw)) details.push(manifestDetail.invalidSourceFileId());
  else return raw;
  return undefined;
}

export { isPlainObject };
