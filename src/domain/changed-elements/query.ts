import { type ErrorDetail, errors } from '../errors.js';
import { CHANGESET_ID } from '../versions/model.js';

/**
 * The iModel (and optionally its iTwin) a Changed Elements request names, from a query string or
 * a body. `iModelId` is required; `iTwinId` (or `projectId`, its deprecated name) is checked
 * against the iModel's when given (docs/decisions.md, "Changed Elements").
 */
export interface TrackedIModel {
  iModelId: string;
  iTwinId?: string;
}

/** A query parameter as a string: absent, empty or repeated is reported. */
export function queryString(query: Record<string, unknown>, name: string, details: ErrorDetail[], required: boolean): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') {
    if (required) details.push({ code: 'MissingRequiredParameter', message: `Required parameter ${name} is missing.`, target: name });
    return undefined;
  }
  if (typeof value !== 'string') {
    details.push({ code: 'InvalidParameter', message: `${name} must be given once.`, target: name });
    return undefined;
  }
  return value;
}

export function parseTrackedIModel(query: Record<string, unknown>, details: ErrorDetail[]): TrackedIModel {
  const iModelId = queryString(query, 'iModelId', details, true);
  const iTwinId = queryString(query, 'iTwinId', details, false) ?? queryString(query, 'projectId', details, false);
  return { iModelId: iModelId ?? '', ...(iTwinId !== undefined && { iTwinId }) };
}

/** `startChangesetId` and `endChangesetId`: both required, 40 hexadecimal digits each. */
export function parseChangesetRange(query: Record<string, unknown>, details: ErrorDetail[]): { start: string; end: string } {
  const ids = { start: '', end: '' };
  for (const [key, name] of [
    ['start', 'startChangesetId'],
    ['end', 'endChangesetId'],
  ] as const) {
    const value = queryString(query, name, details, true);
    if (value === undefined) continue;
    if (!CHANGESET_ID.test(value)) details.push({ code: 'InvalidParameter', message: `${name} must be a changeset id: 40 hexadecimal digits.`, target: name });
    else ids[key] = value.toLowerCase();
  }
  return ids;
}

export function throwIfInvalid(details: ErrorDetail[]): void {
  if (details.length > 0) throw errors.invalidChangedElementsRequest(details);
}
