import type { BodyDeclaration } from '../body-fields.js';
import { fieldReader } from '../body-fields.js';
import { CONNECTOR_TYPE_MESSAGE, parseConnectorType, type ConnectorType } from '../connector-types.js';
import type { ErrorDetail } from '../errors.js';
import { isPlainObject } from '../request-body.js';
import { isManifestSourceFileId } from './body.js';
import type { Manifest, ManifestAction, ManifestChild, ManifestFile } from './model.js';

/**
 * The body of Create ManifestConnection Run: the manifest. Checked strictly, every problem one
 * detail naming its place (`sourceFiles[2].children[0].url`), and bounded beyond the request's
 * byte limit: entries, children, URL and name lengths, the size of each document attribute.
 */
export const MANIFEST_CHILD_BODY = {
  id: true,
  parentId: true,
  name: true,
  url: true,
  connectorType: true,
  relativePath: true,
  documentAttribute: true,
  documentMetadata: true,
} as const satisfies BodyDeclaration;
export const MANIFEST_FILE_BODY = {
  id: true,
  name: true,
  url: true,
  connectorType: true,
  action: true,
  relativePath: true,
  documentAttribute: true,
  documentMetadata: true,
  children: [MANIFEST_CHILD_BODY],
} as const satisfies BodyDeclaration;
export const MANIFEST_BODY = { documentAttributeSchemaUrl: true, sourceFiles: [MANIFEST_FILE_BODY] } as const satisfies BodyDeclaration;

const manifestField = fieldReader(MANIFEST_BODY);
const fileField = fieldReader(MANIFEST_FILE_BODY);
const childField = fieldReader(MANIFEST_CHILD_BODY);

/** Source files plus all their children, in one manifest. */
export const MAX_MANIFEST_FILES = 1000;
/** Children (reference files) of one source file. */
export const MAX_CHILDREN = 100;
/** Pre-authenticated URLs carry long signatures. */
export const MAX_URL_LENGTH = 8192;
export const MAX_NAME_LENGTH = 255;
export const MAX_RELATIVE_PATH_LENGTH = 1024;
/** A document attribute or metadata object, as JSON. */
export const MAX_ATTRIBUTE_BYTES = 16 * 1024;
export const ACTIONS: readonly ManifestAction[] = ['bridge', 'unmap'];

const absent = (value: unknown) => value === undefined || value === null;
const missing = (target: string): ErrorDetail => ({ code: 'MissingRequiredProperty', message: 'Required property is missing.', target });
const invalid = (target: string, message: string): ErrorDetail => ({ code: 'InvalidValue', message, target });
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The manifest, or every problem of it. */
export function parseManifest(body: Record<string, unknown>): { manifest?: Manifest; details: ErrorDetail[] } {
  const details: ErrorDetail[] = [];
  const manifest: Manifest = { sourceFiles: [] };
  const schemaUrl = manifestField(body, 'documentAttributeSchemaUrl');
  if (!absent(schemaUrl)) {
    const checked = checkUrl(schemaUrl, 'documentAttributeSchemaUrl', details);
    if (checked) manifest.documentAttributeSchemaUrl = checked;
  }
  const raw = manifestField(body, 'sourceFiles');
  if (absent(raw)) details.push(missing('sourceFiles'));
  else if (!Array.isArray(raw)) details.push(invalid('sourceFiles', 'sourceFiles must be an array.'));
  else if (raw.length === 0) details.push({ code: 'MissingRequiredProperty', message: 'A manifest names at least one source file.', target: 'sourceFiles' });
  else if (raw.length > MAX_MANIFEST_FILES) details.push(invalid('sourceFiles', `A manifest names at most ${MAX_MANIFEST_FILES} files, children included.`));
  else {
    const ids = new Set<string>();
    let total = 0;
    for (const [i, entry] of raw.entries()) {
      const { file, id } = parseFile(entry, `sourceFiles[${i}]`, details);
      // A repeated id is reported even when the entries have other problems too.
      if (id !== undefined && ids.has(id)) details.push(invalid(`sourceFiles[${i}].id`, `The source file ${id} is listed more than once in the manifest.`));
      if (id !== undefined) ids.add(id);
      if (!file) continue;
      total += 1 + file.children.length;
      manifest.sourceFiles.push(file);
    }
    if (total > MAX_MANIFEST_FILES)
      details.push(invalid('sourceFiles', `A manifest names at most ${MAX_MANIFEST_FILES} files, children included; this one names ${total}.`));
  }
  return details.length > 0 ? { details } : { manifest, details };
}

function parseFile(entry: unknown, at: string, details: ErrorDetail[]): { file?: ManifestFile; id?: string } {
  if (!isPlainObject(entry)) {
    details.push(invalid(at, 'Each source file of a manifest must be an object.'));
    return {};
  }
  const before = details.length;
  const id = checkId(fileField(entry, 'id'), `${at}.id`, details);
  const name = checkName(fileField(entry, 'name'), `${at}.name`, details);
  let action: ManifestAction = 'bridge';
  const rawAction = fileField(entry, 'action');
  if (!absent(rawAction)) {
    const match = typeof rawAction === 'string' ? ACTIONS.find((a) => a === rawAction.toLowerCase()) : undefined;
    if (match) action = match;
    else details.push(invalid(`${at}.action`, "action must be one of: 'bridge', 'unmap'."));
  }
  // Every entry describes its file whole, whatever its action (an unmap downloads nothing, but a
  // document system sends the same description either way).
  const rawUrl = fileField(entry, 'url');
  const url = absent(rawUrl) ? void details.push(missing(`${at}.url`)) : checkUrl(rawUrl, `${at}.url`, details);
  const connectorType = checkConnectorType(fileField(entry, 'connectorType'), `${at}.connectorType`, true, details);
  const relativePath = checkRelativePath(fileField(entry, 'relativePath'), `${at}.relativePath`, details);
  const documentAttribute = checkAttribute(fileField(entry, 'documentAttribute'), `${at}.documentAttribute`, details);
  const documentMetadata = checkAttribute(fileField(entry, 'documentMetadata'), `${at}.documentMetadata`, details);

  const children: ManifestChild[] = [];
  const rawChildren = fileField(entry, 'children');
  if (!absent(rawChildren)) {
    if (!Array.isArray(rawChildren)) details.push(invalid(`${at}.children`, 'children must be an array.'));
    else if (rawChildren.length > MAX_CHILDREN) details.push(invalid(`${at}.children`, `A source file has at most ${MAX_CHILDREN} children.`));
    else {
      const childIds = new Set<string>();
      const parents: { j: number; id: unknown; parentId: unknown }[] = [];
      for (const [j, raw] of rawChildren.entries()) {
        if (isPlainObject(raw)) parents.push({ j, id: childField(raw, 'id'), parentId: childField(raw, 'parentId') });
        const child = parseChild(raw, `${at}.children[${j}]`, details);
        if (!child) continue;
        if (childIds.has(child.id)) details.push(invalid(`${at}.children[${j}].id`, `The child ${child.id} is listed more than once under its source file.`));
        childIds.add(child.id);
        children.push(child);
      }
      // A child hangs from its source file or from another child of it (a reference of a reference);
      // checked on every well-formed parentId, also of children with other problems.
      const known = new Set(parents.map((p) => p.id).filter(isManifestSourceFileId));
      for (const { j, id: childId, parentId } of parents) {
        if (!isManifestSourceFileId(parentId)) continue;
        if (parentId !== id && !(known.has(parentId) && parentId !== childId)) {
          details.push(invalid(`${at}.children[${j}].parentId`, 'parentId must be the id of its source file or of another child of it.'));
        }
      }
    }
  }
  if (details.length > before || id === undefined || name === undefined || url === undefined || connectorType === undefined) return { id };
  const file: ManifestFile = {
    id,
    name,
    action,
    url,
    connectorType,
    ...(relativePath !== undefined && { relativePath }),
    ...(documentAttribute !== undefined && { documentAttribute }),
    ...(documentMetadata !== undefined && { documentMetadata }),
    children,
  };
  return { file, id };
}

function parseChild(entry: unknown, at: string, details: ErrorDetail[]): ManifestChild | undefined {
  if (!isPlainObject(entry)) {
    details.push(invalid(at, 'Each child of a source file must be an object.'));
    return undefined;
  }
  const before = details.length;
  const id = checkId(childField(entry, 'id'), `${at}.id`, details);
  const parentId = checkId(childField(entry, 'parentId'), `${at}.parentId`, details);
  const name = checkName(childField(entry, 'name'), `${at}.name`, details);
  const rawUrl = childField(entry, 'url');
  const url = absent(rawUrl) ? void details.push(missing(`${at}.url`)) : checkUrl(rawUrl, `${at}.url`, details);
  const connectorType = checkConnectorType(childField(entry, 'connectorType'), `${at}.connectorType`, false, details);
  const relativePath = checkRelativePath(childField(entry, 'relativePath'), `${at}.relativePath`, details);
  const documentAttribute = checkAttribute(childField(entry, 'documentAttribute'), `${at}.documentAttribute`, details);
  const documentMetadata = checkAttribute(childField(entry, 'documentMetadata'), `${at}.documentMetadata`, details);
  if (details.length > before || !id || !parentId || !name || !url) return undefined;
  return {
    id,
    parentId,
    name,
    url,
    ...(connectorType !== undefined && { connectorType }),
    ...(relativePath !== undefined && { relativePath }),
    ...(documentAttribute !== undefined && { documentAttribute }),
    ...(documentMetadata !== undefined && { documentMetadata }),
  };
}

function checkId(raw: unknown, at: string, details: ErrorDetail[]): string | undefined {
  if (absent(raw) || raw === '') details.push(missing(at));
  else if (!isManifestSourceFileId(raw)) details.push(invalid(at, 'An id is 1 to 128 letters, digits, ".", "_", "~" or "-".'));
  else return raw;
  return undefined;
}

/** A file name: what connectors see and match their rules on; no folder in it (relativePath says where it lies). */
function checkName(raw: unknown, at: string, details: ErrorDetail[]): string | undefined {
  if (absent(raw) || raw === '') details.push(missing(at));
  else if (typeof raw !== 'string') details.push(invalid(at, 'name must be a string.'));
  else if (raw.length > MAX_NAME_LENGTH) details.push(invalid(at, `name must be at most ${MAX_NAME_LENGTH} characters long.`));
  else if (raw === '.' || raw === '..' || /[/\\]/.test(raw) || CONTROL.test(raw)) {
    details.push(invalid(at, 'name must be a file name: no "/", "\\" or control characters, not "." or "..".'));
  } else return raw;
  return undefined;
}

/** An absolute http(s) URL without user name or password; where it may lead is checked when it is downloaded. */
function checkUrl(raw: unknown, at: string, details: ErrorDetail[]): string | undefined {
  if (typeof raw !== 'string' || raw === '') {
    details.push(invalid(at, 'The URL must be a string.'));
    return undefined;
  }
  if (raw.length > MAX_URL_LENGTH) {
    details.push(invalid(at, `The URL must be at most ${MAX_URL_LENGTH} characters long.`));
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    details.push(invalid(at, 'The URL must be an absolute http or https URL.'));
    return undefined;
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') {
    details.push(invalid(at, 'The URL must be an absolute http or https URL.'));
  } else if (parsed.username !== '' || parsed.password !== '') {
    details.push(invalid(at, 'The URL must not hold a user name or password: use a pre-authenticated URL.'));
  } else return parsed.href;
  return undefined;
}

function checkConnectorType(raw: unknown, at: string, required: boolean, details: ErrorDetail[]): ConnectorType | undefined {
  if (absent(raw) || raw === '') {
    if (required) details.push(missing(at));
    return undefined;
  }
  const parsed = typeof raw === 'string' ? parseConnectorType(raw) : undefined;
  if (!parsed) details.push(invalid(at, CONNECTOR_TYPE_MESSAGE));
  return parsed;
}

/** Where the file lies relative to its source file's folder, `/`-separated; never above it. */
function checkRelativePath(raw: unknown, at: string, details: ErrorDetail[]): string | undefined {
  if (absent(raw)) return undefined;
  if (typeof raw !== 'string') details.push(invalid(at, 'relativePath must be a string.'));
  else if (raw.length > MAX_RELATIVE_PATH_LENGTH) details.push(invalid(at, `relativePath must be at most ${MAX_RELATIVE_PATH_LENGTH} characters long.`));
  else if (raw.startsWith('/') || raw.includes('\\') || /^[A-Za-z]:/.test(raw) || CONTROL.test(raw) || raw.split('/').includes('..')) {
    details.push(invalid(at, 'relativePath must be a relative "/"-separated path without ".." segments.'));
  } else return raw;
  return undefined;
}

function checkAttribute(raw: unknown, at: string, details: ErrorDetail[]): Record<string, unknown> | undefined {
  if (absent(raw)) return undefined;
  if (!isPlainObject(raw)) details.push(invalid(at, 'It must be a JSON object.'));
  else if (Buffer.byteLength(JSON.stringify(raw)) > MAX_ATTRIBUTE_BYTES) details.push(invalid(at, `It must be at most ${MAX_ATTRIBUTE_BYTES} bytes of JSON.`));
  else return raw;
  return undefined;
}
