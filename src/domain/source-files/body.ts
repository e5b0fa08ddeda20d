import { parseSourceFile, detail, type NewSourceFile } from '../storage-connections/create-body.js';
import { errors, type ErrorDetail } from '../errors.js';
import { isPlainObject, MalformedBody } from '../request-body.js';

/** `{storageFileId, connectorType}`, both required, for add and update; every problem in one 422. */
export function parseSourceFileBody(body: unknown): NewSourceFile {
  if (body === undefined) throw errors.missingRequestBody([detail.missing('storageFileId'), detail.missing('connectorType')]);
  if (body instanceof MalformedBody) throw errors.invalidSourceFileRequest([detail.invalidRequestBody(body.reason)]);
  if (!isPlainObject(body)) throw errors.invalidSourceFileRequest([detail.invalidRequestBody('The request body must be a JSON object.')]);
  const details: ErrorDetail[] = [];
  const { storageFileId, connectorType } = parseSourceFile(body, details);
  if (details.length > 0 || !storageFileId || !connectorType) throw errors.invalidSourceFileRequest(details);
  return { storageFileId, connectorType };
}
