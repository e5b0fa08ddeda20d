import { errors, type ErrorDetail } from '../errors.js';
import { isPlainObject, MalformedBody } from '../request-body.js';
import { detail } from '../storage-connections/create-body.js';
import { manifestDetail, parseManifestSourceFile } from './body.js';

/** `{sourceFileId}`, required, for add and update; every problem in one 422. */
export function parseManifestSourceFileBody(body: unknown): string {
  if (body === undefined) throw errors.missingRequestBody([manifestDetail.missingSourceFileId()]);
  if (body instanceof MalformedBody) throw errors.invalidManifestSourceFileRequest([detail.invalidRequestBody(body.reason)]);
  if (!isPlainObject(body)) throw errors.invalidManifestSourceFileRequest([detail.invalidRequestBody('The request body must be a JSON object.')]);
  const details: ErrorDetail[] = [];
  const id = parseManifestSourceFile(body, details);
  if (details.length > 0 || id === undefined) throw errors.invalidManifestSourceFileRequest(details);
  return id;
}
