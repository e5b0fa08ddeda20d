import { BodyFields, type BodyDeclaration } from '../body-fields.js';
import { errors } from '../errors.js';
import { canonicalGuid, isGuid } from '../ids.js';
import { EXTRA_FIELDS, ITWIN_CLASSES, ITWIN_STATUSES, ITWIN_SUBCLASSES, type ExtraField, type ITwinClass } from './model.js';
import type { NewITwin } from './create-itwin.js';

const MAX_NAME = 255;

/** What a create-iTwin body may hold (see BodyDeclaration). */
export const ITWIN_BODY = {
  displayName: true,
  class: true,
  subClass: true,
  status: true,
  type: true,
  number: true,
  parentId: true,
  geographicLocation: true,
  ianaTimeZone: true,
  dataCenterLocation: true,
  iTwinAccountId: true,
  imageName: true,
  image: true,
} as const satisfies BodyDeclaration;

/** A create-iTwin body: `displayName`, `class` and `subClass` are required; the rest is optional. */
export function parseNewITwin(body: unknown): NewITwin {
  const fields = new BodyFields(body, ITWIN_BODY);
  const displayName = fields.string('displayName', { required: true, maxLength: MAX_NAME });
  const itwinClass = fields.oneOf<ITwinClass>('class', Object.keys(ITWIN_CLASSES) as ITwinClass[], true);
  const subClass = fields.oneOf('subClass', ITWIN_SUBCLASSES, true);
  if (itwinClass && subClass && !(ITWIN_CLASSES[itwinClass] as readonly string[]).includes(subClass)) {
    fields.invalid('subClass', `subClass ${subClass} is not allowed with class ${itwinClass}: use one of ${ITWIN_CLASSES[itwinClass].join(', ')}.`);
  }
  const status = fields.oneOf('status', ITWIN_STATUSES, false);
  const type = fields.string('type', { maxLength: MAX_NAME });
  const number = fields.string('number', { maxLength: MAX_NAME });
  let parentId: string | undefined;
  const rawParent = fields.string('parentId');
  if (rawParent) {
    if (isGuid(rawParent)) parentId = canonicalGuid(rawParent);
    else fields.invalid('parentId', 'Provided parentId value is not valid.');
  }
  const extra: Partial<Record<ExtraField, string>> = {};
  for (const name of EXTRA_FIELDS) {
    const value = fields.string(name, { maxLength: name === 'image' ? 2048 : MAX_NAME });
    if (value) extra[name] = value;
  }
  if (fields.details.length > 0) throw errors.invalidITwinRequest(fields.details);
  return {
    displayName: displayName!,
    class: itwinClass,
    subClass,
    status,
    type: type ?? undefined,
    number: number ?? undefined,
    parentId,
    extra,
  };
}

/**
 * What an update-iTwin body may hold. `class`, `subClass`, `parentId` and `dataCenterLocation` are
 * read only to refuse them by name: an iTwin's classification, place in the hierarchy and data
 * location are fixed at creation here (docs/decisions.md).
 */
export const ITWIN_UPDATE_BODY = {
  displayName: true,
  type: true,
  number: true,
  status: true,
  geographicLocation: true,
  ianaTimeZone: true,
  imageName: 'refusal-hint',
  class: 'refusal-hint',
  subClass: 'refusal-hint',
  parentId: 'refusal-hint',
  dataCenterLocation: 'refusal-hint',
} as const satisfies BodyDeclaration;

/** The changes of an update: absent properties stay as they are; null clears an optional one. */
export interface ITwinChange {
  displayName?: string;
  type?: string | null;
  number?: string;
  status?: string;
  extra?: Partial<Record<'geographicLocation' | 'ianaTimeZone', string | null>>;
}

const FIXED_AT_CREATION = ['class', 'subClass', 'parentId', 'dataCenterLocation', 'imageName'] as const;

/** An update-iTwin body: every property optional; `displayName` and `number` cannot be cleared. */
export function parseITwinChange(body: unknown): ITwinChange {
  const fields = new BodyFields(body === undefined ? {} : body, ITWIN_UPDATE_BODY);
  const displayName = fields.string('displayName', { maxLength: MAX_NAME });
  if (displayName === null || (typeof displayName === 'string' && displayName.trim() === '')) fields.invalid('displayName', 'displayName must not be blank.');
  const type = fields.string('type', { maxLength: MAX_NAME });
  const number = fields.string('number', { maxLength: MAX_NAME });
  if (number === null || (typeof number === 'string' && number.trim() === '')) fields.invalid('number', 'number must not be blank.');
  const status = fields.oneOf('status', ITWIN_STATUSES, false);
  if (fields.raw('status') === null) fields.invalid('status', `status must be one of: ${ITWIN_STATUSES.map((s) => `'${s}'`).join(', ')}.`);
  const geographicLocation = fields.string('geographicLocation', { maxLength: MAX_NAME });
  const ianaTimeZone = fields.string('ianaTimeZone', { maxLength: MAX_NAME });
  for (const name of FIXED_AT_CREATION) {
    if (fields.raw(name) !== undefined) {
      fields.invalid(
        name,
        name === 'imageName' ? 'imageName is set with the iTwin image, not by an update.' : `${name} cannot be changed after the iTwin is created.`,
      );
    }
  }
  if (fields.details.length > 0) throw errors.invalidITwinRequest(fields.details);
  const change: ITwinChange = {};
  if (typeof displayName === 'string') change.displayName = displayName;
  if (type !== undefined) change.type = type;
  if (typeof number === 'string') change.number = number;
  if (status) change.status = status;
  const extra: NonNullable<ITwinChange['extra']> = {};
  if (geographicLocation !== undefined) extra.geographicLocation = geographicLocation;
  if (ianaTimeZone !== undefined) extra.ianaTimeZone = ianaTimeZone;
  if (Object.keys(extra).length > 0) change.extra = extra;
  return change;
}
