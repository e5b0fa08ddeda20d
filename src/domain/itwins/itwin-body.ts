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
