import { BodyFields, type BodyDeclaration } from '../body-fields.js';
import { errors } from '../errors.js';
import type { TrackedIModel } from './query.js';

/** What an enable-change-tracking body may hold: `projectId` is the deprecated name of `iTwinId`. */
export const TRACKING_BODY = { enable: true, iModelId: true, iTwinId: true, projectId: true } as const satisfies BodyDeclaration;

export interface TrackingChange extends TrackedIModel {
  enable: boolean;
}

/** `enable` (a boolean) and `iModelId` required; `iTwinId` or `projectId` checked when given. */
export function parseTrackingChange(body: unknown): TrackingChange {
  const fields = new BodyFields(body, TRACKING_BODY);
  const enable = fields.raw('enable');
  if ((enable === undefined || enable === null) && fields.readable) fields.missing('enable');
  else if (enable !== undefined && enable !== null && typeof enable !== 'boolean') fields.invalid('enable', 'enable must be true or false.');
  const iModelId = fields.string('iModelId', { required: true });
  // Both read, so that either spelled wrong is reported.
  const given = fields.string('iTwinId');
  const former = fields.string('projectId');
  const iTwinId = given ?? former;
  if (fields.details.length > 0) throw errors.invalidChangedElementsRequest(fields.details);
  return { enable: enable as boolean, iModelId: iModelId!, ...(typeof iTwinId === 'string' && { iTwinId }) };
}
