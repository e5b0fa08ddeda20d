import { BodyFields, type BodyDeclaration } from '../../body-fields.js';
import { errors } from '../../errors.js';
import { isPlainObject } from '../../request-body.js';
import { REGISTERED_CLASSES, type RegisteredClass } from './model.js';

const MAX_NAME = 255;
const MAX_URI = 2048;
/** The JSON text of authentication and options together: they are echoed, not interpreted. */
const MAX_DETAILS = 16 * 1024;

/** What a create-repository body may hold (see BodyDeclaration). */
export const REPOSITORY_BODY = {
  class: true,
  subClass: true,
  displayName: true,
  uri: true,
  authentication: true,
  options: true,
} as const satisfies BodyDeclaration;

export interface NewRepository {
  class: RegisteredClass;
  subClass: string | null;
  displayName: string | null;
  uri: string;
  authentication: Record<string, unknown> | null;
  options: Record<string, unknown> | null;
}

/**
 * A create-repository body: `class` and `uri` (absolute http or https) are required; `subClass` is
 * required for GIS repositories and must be one the class allows; `authentication` and `options`
 * are objects, kept as given.
 */
export function parseNewRepository(body: unknown): NewRepository {
  const fields = new BodyFields(body, REPOSITORY_BODY);
  const repositoryClass = fields.oneOf<RegisteredClass>('class', Object.keys(REGISTERED_CLASSES) as RegisteredClass[], true);
  const allowed: readonly string[] = repositoryClass ? REGISTERED_CLASSES[repositoryClass] : [];
  const rawSubClass = fields.string('subClass', { maxLength: MAX_NAME });
  let subClass: string | null = null;
  if (typeof rawSubClass === 'string' && rawSubClass !== '') {
    const match = allowed.find((s) => s.toLowerCase() === rawSubClass.toLowerCase());
    if (match) subClass = match;
    else if (repositoryClass) fields.invalid('subClass', `subClass must be one of: ${allowed.join(', ')} for class ${repositoryClass}.`);
  } else if (repositoryClass === 'GeographicInformationSystem') fields.missing('subClass');
  const displayName = fields.string('displayName', { maxLength: MAX_NAME });
  if (typeof displayName === 'string' && displayName.trim() === '') fields.invalid('displayName', 'displayName must not be blank.');
  const uri = fields.string('uri', { required: true, maxLength: MAX_URI });
  if (uri !== undefined && !isWebUrl(uri)) fields.invalid('uri', 'uri must be an absolute http or https URL.');
  const objectField = (name: 'authentication' | 'options') => {
    const value = fields.raw(name);
    if (value === undefined || value === null) return null;
    if (!isPlainObject(value)) {
      fields.invalid(name, `${name} must be an object.`);
      return null;
    }
    return value as Record<string, unknown>;
  };
  const authentication = objectField('authentication');
  const options = objectField('options');
  if (JSON.stringify({ authentication, options }).length > MAX_DETAILS) {
    fields.invalid('options', `authentication and options together must be at most ${MAX_DETAILS} characters of JSON.`);
  }
  if (fields.details.length > 0) throw errors.invalidITwinRequest(fields.details);
  return { class: repositoryClass!, subClass, displayName: displayName ?? null, uri: uri!, authentication, options };
}

function isWebUrl(text: string): boolean {
  // URI templates ({z}/{x}/{y}) are URLs once their braces are read as text.
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
