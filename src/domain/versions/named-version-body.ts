import { BodyFields, type BodyDeclaration } from '../body-fields.js';
import { errors } from '../errors.js';
import type { NamedVersionChange } from './repository.js';
import { CHANGESET_ID, type NamedVersionState } from './model.js';

const MAX_NAME = 255;
const MAX_DESCRIPTION = 255;
const STATES: readonly NamedVersionState[] = ['visible', 'hidden'];

/** What a create-named-version body may hold (see BodyDeclaration). */
export const NAMED_VERSION_BODY = { name: true, description: true, changesetId: true, changesetIndex: true } as const satisfies BodyDeclaration;
/** What an update-named-version body may hold. */
export const NAMED_VERSION_UPDATE_BODY = { name: true, description: true, state: true } as const satisfies BodyDeclaration;

export interface NewNamedVersion {
  name: string;
  description: string | null;
  /** Neither: the baseline (index 0). */
  changesetId?: string;
  changesetIndex?: number;
}

function checkName(fields: BodyFields<typeof NAMED_VERSION_BODY> | BodyFields<typeof NAMED_VERSION_UPDATE_BODY>, name: string | null | undefined): void {
  if (typeof name === 'string' && name.trim() === '') fields.invalid('name', 'name must not be blank.');
}

/** `name` required; `changesetId` (40 hexadecimal digits, '' or null: the baseline) or `changesetIndex` (0: the baseline) optional. */
export function parseNewNamedVersion(body: unknown): NewNamedVersion {
  const fields = new BodyFields(body, NAMED_VERSION_BODY);
  const name = fields.string('name', { required: true, maxLength: MAX_NAME });
  checkName(fields, name);
  const description = fields.string('description', { maxLength: MAX_DESCRIPTION });
  const changesetId = fields.string('changesetId');
  if (changesetId && !CHANGESET_ID.test(changesetId)) fields.invalid('changesetId', 'changesetId must be 40 hexadecimal digits.');
  const rawIndex = fields.raw('changesetIndex');
  let changesetIndex: number | undefined;
  if (rawIndex !== undefined && rawIndex !== null) {
    if (typeof rawIndex === 'number' && Number.isSafeInteger(rawIndex) && rawIndex >= 0) changesetIndex = rawIndex;
    else fields.invalid('changesetIndex', 'changesetIndex must be a whole number, 0 or more.');
  }
  if (fields.details.length > 0) throw errors.invalidIModelRequest(fields.details);
  return {
    name: name!,
    description: description ?? null,
    changesetId: changesetId ? changesetId.toLowerCase() : changesetId === '' ? '' : undefined,
    changesetIndex,
  };
}

/** A PATCH body: absent properties stay as they are; `description: null` clears it. */
export function parseNamedVersionChange(body: unknown): NamedVersionChange {
  const fields = new BodyFields(body === undefined ? {} : body, NAMED_VERSION_UPDATE_BODY);
  const name = fields.string('name', { maxLength: MAX_NAME });
  if (name === null) fields.invalid('name', 'name must not be null.');
  checkName(fields, name);
  const description = fields.string('description', { maxLength: MAX_DESCRIPTION });
  const state = fields.oneOf('state', STATES, false);
  if (fields.details.length > 0) throw errors.invalidIModelRequest(fields.details);
  const change: NamedVersionChange = {};
  if (typeof name === 'string') change.name = name;
  if (description !== undefined) change.description = description;
  if (state !== undefined) change.state = state;
  return change;
}
