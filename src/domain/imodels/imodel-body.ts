import { BodyFields, fieldReader, type BodyDeclaration } from '../body-fields.js';
import { errors } from '../errors.js';
import { canonicalGuid, isGuid } from '../ids.js';
import { isPlainObject } from '../request-body.js';
import type { NewIModel } from './create-imodel.js';
import type { IModelChange } from './repository.js';
import type { Extent, GeoPoint } from './model.js';

const MAX_NAME = 255;
const MAX_DESCRIPTION = 255;

const POINT = { latitude: true, longitude: true } as const satisfies BodyDeclaration;
/** What a create-iModel body may hold (see BodyDeclaration). */
export const IMODEL_BODY = {
  iTwinId: true,
  name: true,
  description: true,
  extent: { southWest: POINT, northEast: POINT },
} as const satisfies BodyDeclaration;
/** What an update-iModel body may hold: any of these, absent ones stay as they are. */
export const IMODEL_UPDATE_BODY = { name: true, description: true, extent: IMODEL_BODY.extent } as const satisfies BodyDeclaration;
type WithExtent = typeof IMODEL_BODY | typeof IMODEL_UPDATE_BODY;
const extentField = fieldReader(IMODEL_BODY.extent);
const pointField = fieldReader(POINT);

/** A create-iModel body: `iTwinId` and `name` are required, `description` and `extent` optional. */
export function parseNewIModel(body: unknown): NewIModel {
  const fields = new BodyFields(body, IMODEL_BODY);
  let iTwinId: string | undefined;
  const rawITwinId = fields.string('iTwinId', { required: true });
  if (rawITwinId !== undefined) {
    if (isGuid(rawITwinId)) iTwinId = canonicalGuid(rawITwinId);
    else fields.invalid('iTwinId', 'Provided iTwinId value is not valid.');
  }
  const name = fields.string('name', { required: true, maxLength: MAX_NAME });
  if (name !== undefined && name.trim() === '') fields.invalid('name', 'name must not be blank.');
  const description = fields.string('description', { maxLength: MAX_DESCRIPTION });
  const extent = parseExtent(fields);
  if (fields.details.length > 0) throw errors.invalidIModelRequest(fields.details);
  return { iTwinId: iTwinId!, name: name!, description: description ?? undefined, extent };
}

/** An update-iModel body: `name` (not blank), `description` (null clears it), `extent` (null clears it). */
export function parseIModelChange(body: unknown): IModelChange {
  const fields = new BodyFields(body === undefined ? {} : body, IMODEL_UPDATE_BODY);
  const name = fields.string('name', { maxLength: MAX_NAME });
  if (name === null || (typeof name === 'string' && name.trim() === '')) fields.invalid('name', 'name must not be blank.');
  const description = fields.string('description', { maxLength: MAX_DESCRIPTION });
  const clearsExtent = fields.raw('extent') === null;
  const extent = parseExtent(fields);
  if (fields.details.length > 0) throw errors.invalidIModelRequest(fields.details);
  const change: IModelChange = {};
  if (typeof name === 'string') change.name = name;
  if (description !== undefined) change.description = description;
  if (extent) change.extent = extent;
  else if (clearsExtent) change.extent = null;
  return change;
}

function parseExtent(fields: BodyFields<WithExtent>): Extent | undefined {
  const raw = fields.raw('extent');
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) {
    fields.invalid('extent', 'extent must be an object with southWest and northEast.');
    return undefined;
  }
  const southWest = parsePoint(fields, raw, 'southWest');
  const northEast = parsePoint(fields, raw, 'northEast');
  return southWest && northEast ? { southWest, northEast } : undefined;
}

function parsePoint(fields: BodyFields<WithExtent>, extent: Record<string, unknown>, name: 'southWest' | 'northEast'): GeoPoint | undefined {
  const raw = extentField(extent, name);
  const target = `extent.${name}`;
  if (raw === undefined || raw === null) {
    fields.missing(target);
    return undefined;
  }
  if (!isPlainObject(raw)) {
    fields.invalid(target, `${target} must be an object with latitude and longitude.`);
    return undefined;
  }
  const coordinate = (key: 'latitude' | 'longitude', limit: number) => {
    const value = pointField(raw, key);
    if (value === undefined || value === null) fields.missing(`${target}.${key}`);
    else if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > limit) {
      fields.invalid(`${target}.${key}`, `${key} must be a number between -${limit} and ${limit}.`);
    } else return value;
    return undefined;
  };
  const latitude = coordinate('latitude', 90);
  const longitude = coordinate('longitude', 180);
  return latitude !== undefined && longitude !== undefined ? { latitude, longitude } : undefined;
}
