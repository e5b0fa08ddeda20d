import { CONNECTOR_TYPE_MESSAGE, parseConnectorType, type ConnectorType } from '../connector-types.js';
import type { ErrorDetail } from '../errors.js';
import { canonicalGuid, isGuid, isOpaqueId } from '../ids.js';
import { fieldReader, type BodyDeclaration } from '../body-fields.js';
import { isPlainObject } from '../request-body.js';
import { parseAuthenticationType, type AuthenticationType } from './model.js';

export interface NewSourceFile {
  storageFileId: string;
  connectorType: ConnectorType;
}

export interface CreateStorageConnectionInput {
  iModelId: string;
  displayName: string;
  authenticationType: AuthenticationType;
  sourceFiles: NewSourceFile[];
}

export interface ParsedCreateBody {
  input?: CreateStorageConnectionInput;
  /** Structural problems; empty when `input` is set. */
  details: ErrorDetail[];
  /** Well-formed ids found even when the body has other problems, so their existence is checked too. */
  iModelId?: string;
  storageFileIds: string[];
}

/** One source file, in a create body or alone (add and update source file); see BodyDeclaration. */
export const SOURCE_FILE_BODY = { storageFileId: true, connectorType: true } as const satisfies BodyDeclaration;
/** What an update body may hold; read by parseDisplayName and parseAuthenticationTypeField. */
export const UPDATE_CONNECTION_BODY = { displayName: true, authenticationType: true } as const satisfies BodyDeclaration;
/** What a create body may hold. */
export const CREATE_CONNECTION_BODY = {
  iModelId: true,
  sourceFiles: [SOURCE_FILE_BODY],
  ...UPDATE_CONNECTION_BODY,
} as const satisfies BodyDeclaration;
const createField = fieldReader(CREATE_CONNECTION_BODY);
const updateField = fieldReader(UPDATE_CONNECTION_BODY);
const sourceFileField = fieldReader(SOURCE_FILE_BODY);

export const MAX_SOURCE_FILES = 1000;
export const MAX_DISPLAY_NAME = 255;

// The API's published wording, kept exactly (docs/api-contract.md).
const MISSING = 'A property required to create or update a connection is missing.';
export const detail = {
  invalidRequestBody: (message = 'Error parsing JSON, malformed JSON.'): ErrorDetail => ({ code: 'InvalidRequestBody', message }),
  missing: (target: string): ErrorDetail => ({ code: 'MissingRequiredProperty', message: MISSING, target }),
  noSourceFiles: (): ErrorDetail => ({
    code: 'MissingRequiredProperty',
    message: 'At least one input file must be included to create a ConnectionDefinition.',
    target: 'sourceFiles',
  }),
  missingIModelId: (): ErrorDetail => ({ code: 'MissingRequiredProperty', message: 'imodelId was not provided.', target: 'imodelId' }),
  invalidConnectorType: (): ErrorDetail => ({ code: 'InvalidValue', message: CONNECTOR_TYPE_MESSAGE, target: 'connectorType' }),
  invalidIModelId: (): ErrorDetail => ({ code: 'InvalidValue', message: 'Provided imodelId value is not valid.', target: 'imodelId' }),
  invalidStorageFileId: (): ErrorDetail => ({
    code: 'InvalidValue',
    message: 'Provided storageFileId value is not valid.',
    target: 'storageFileId',
  }),
  invalid: (target: string, message: string): ErrorDetail => ({ code: 'InvalidValue', message, target }),
};

const absent = (value: unknown) => value === undefined || value === null;

/** Checks the shape of a create body and reports every problem, one detail each. */
export function parseCreateBody(body: unknown): ParsedCreateBody {
  const details: ErrorDetail[] = [];
  const storageFileIds: string[] = [];
  if (!isPlainObject(body)) {
    return { details: [detail.invalidRequestBody('The request body must be a JSON object.')], storageFileIds };
  }

  let iModelId: string | undefined;
  const rawIModelId = createField(body, 'iModelId');
  if (absent(rawIModelId) || rawIModelId === '') details.push(detail.missingIModelId());
  else if (typeof rawIModelId !== 'string' || !isGuid(rawIModelId)) details.push(detail.invalidIModelId());
  else iModelId = canonicalGuid(rawIModelId);

  const sourceFiles: NewSourceFile[] = [];
  const rawSourceFiles = createField(body, 'sourceFiles');
  if (absent(rawSourceFiles)) details.push(detail.missing('sourceFiles'));
  else if (!Array.isArray(rawSourceFiles)) details.push(detail.invalid('sourceFiles', 'sourceFiles must be an array.'));
  else if (rawSourceFiles.length === 0) details.push(detail.noSourceFiles());
  else if (rawSourceFiles.length > MAX_SOURCE_FILES) {
    details.push(detail.invalid('sourceFiles', `At most ${MAX_SOURCE_FILES} source files can be included in one request.`));
  } else {
    const seen = new Set<string>();
    for (const entry of rawSourceFiles) {
      const file = parseSourceFile(entry, details);
      if (file.storageFileId !== undefined) {
        if (seen.has(file.storageFileId)) {
          details.push(detail.invalid('storageFileId', 'Provided storageFileId value is listed more than once.'));
        } else {
          seen.add(file.storageFileId);
          storageFileIds.push(file.storageFileId);
        }
      }
      if (file.storageFileId !== undefined && file.connectorType !== undefined) {
        sourceFiles.push({ storageFileId: file.storageFileId, connectorType: file.connectorType });
      }
    }
  }

  const displayName = parseDisplayName(body, details) ?? '';
  const authenticationType = parseAuthenticationTypeField(body, details) ?? 'User';

  if (details.length > 0 || iModelId === undefined) return { details, iModelId, storageFileIds };
  return { input: { iModelId, displayName, authenticationType, sourceFiles }, details, iModelId, storageFileIds };
}

/** `displayName` if sent and valid; a detail if sent and invalid; undefined otherwise. Create and update share it. */
export function parseDisplayName(body: Record<string, unknown>, details: ErrorDetail[]): string | undefined {
  const raw = updateField(body, 'displayName');
  if (absent(raw)) return undefined;
  if (typeof raw !== 'string') details.push(detail.invalid('displayName', 'displayName must be a string.'));
  else if (raw.length > MAX_DISPLAY_NAME) {
    details.push(detail.invalid('displayName', `displayName must be at most ${MAX_DISPLAY_NAME} characters long.`));
  } else return raw;
  return undefined;
}

/** `authenticationType` if sent and valid (canonical); a detail if sent and invalid; undefined otherwise. */
export function parseAuthenticationTypeField(body: Record<string, unknown>, details: ErrorDetail[]): AuthenticationType | undefined {
  const raw = updateField(body, 'authenticationType');
  if (absent(raw)) return undefined;
  const parsed = typeof raw === 'string' ? parseAuthenticationType(raw) : undefined;
  if (!parsed) details.push(detail.invalid('authenticationType', "authenticationType must be one of: 'User', 'Service'."));
  return parsed;
}

/** One `{storageFileId, connectorType}` entry; shared with the source-file operations. */
export function parseSourceFile(entry: unknown, details: ErrorDetail[]): { storageFileId?: string; connectorType?: ConnectorType } {
  if (!isPlainObject(entry)) {
    details.push(detail.invalid('sourceFiles', 'Each source file must be an object with storageFileId and connectorType.'));
    return {};
  }
  let storageFileId: string | undefined;
  const rawId = sourceFileField(entry, 'storageFileId');
  if (absent(rawId) || rawId === '') details.push(detail.missing('storageFileId'));
  else if (typeof rawId !== 'string' || !isOpaqueId(rawId)) details.push(detail.invalidStorageFileId());
  else storageFileId = rawId;

  let connectorType: ConnectorType | undefined;
  const rawType = sourceFileField(entry, 'connectorType');
  if (absent(rawType) || rawType === '') details.push(detail.missing('connectorType'));
  else if (typeof rawType !== 'string' || !(connectorType = parseConnectorType(rawType))) {
    details.push(detail.invalidConnectorType());
  }
  return { storageFileId, connectorType };
}
