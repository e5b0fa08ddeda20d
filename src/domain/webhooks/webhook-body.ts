import { BodyFields, type BodyDeclaration } from '../body-fields.js';
import { errors } from '../errors.js';
import { canonicalGuid, isGuid } from '../ids.js';
import { callbackUrlProblem, type CallbackPolicy } from './callback-url.js';
import { EVENT_TYPES, WEBHOOK_SCOPES, type EventType, type WebhookScope } from './model.js';

/** What a create-webhook body may hold (see BodyDeclaration). */
export const WEBHOOK_BODY = { callbackUrl: true, eventTypes: true, scope: true, scopeId: true, secret: true } as const satisfies BodyDeclaration;
/** What an update-webhook body may hold. */
export const WEBHOOK_UPDATE_BODY = { callbackUrl: true, eventTypes: true, secret: true, active: true } as const satisfies BodyDeclaration;

/** Bentley: a secret given by the client has at least 32 characters. */
export const MIN_SECRET = 32;
const MAX_SECRET = 256;

export interface NewWebhook {
  callbackUrl: string;
  eventTypes: EventType[];
  scope: WebhookScope;
  scopeId: string | null;
  /** Absent: one is made. */
  secret?: string;
}

export interface WebhookUpdate {
  callbackUrl?: string;
  eventTypes?: EventType[];
  secret?: string;
  active?: boolean;
}

type Fields = BodyFields<typeof WEBHOOK_BODY> | BodyFields<typeof WEBHOOK_UPDATE_BODY>;

function callbackUrl(fields: Fields, policy: CallbackPolicy, required: boolean): string | undefined {
  const value = (fields as BodyFields<typeof WEBHOOK_BODY>).string('callbackUrl', { required: required as false });
  if (value === null && !required) fields.invalid('callbackUrl', 'callbackUrl must not be null.');
  if (typeof value !== 'string') return undefined;
  const problem = callbackUrlProblem(policy, value);
  if (problem) fields.invalid('callbackUrl', problem);
  return problem ? undefined : value;
}

export const MAX_EVENT_TYPES = 20;

function eventTypes(fields: Fields, required: boolean): EventType[] | undefined {
  const value = (fields as BodyFields<typeof WEBHOOK_BODY>).raw('eventTypes');
  if (value === undefined || value === null) {
    if (required && fields.readable) fields.missing('eventTypes');
    else if (value === null) fields.invalid('eventTypes', 'eventTypes must not be null.');
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0) {
    fields.invalid('eventTypes', 'eventTypes must be a non-empty array of event types.');
    return undefined;
  }
  // One detail per bad item, so a bounded number of items: thousands of them would make an answer
  // thousands of details long (there are only a few event types to name).
  if (value.length > MAX_EVENT_TYPES) {
    fields.invalid('eventTypes', `eventTypes holds at most ${MAX_EVENT_TYPES} items.`);
    return undefined;
  }
  const types: EventType[] = [];
  value.forEach((item, i) => {
    const match = typeof item === 'string' ? EVENT_TYPES.find((t) => t.toLowerCase() === item.toLowerCase()) : undefined;
    if (!match) fields.invalid(`eventTypes[${i}]`, `eventTypes[${i}] must be one of: ${EVENT_TYPES.map((t) => `'${t}'`).join(', ')}.`);
    else if (!types.includes(match)) types.push(match);
  });
  return types;
}

function secret(fields: Fields): string | undefined {
  const value = (fields as BodyFields<typeof WEBHOOK_BODY>).string('secret', { maxLength: MAX_SECRET });
  if (value === null) fields.invalid('secret', 'secret must not be null.');
  if (typeof value !== 'string') return undefined;
  if (value.length < MIN_SECRET) fields.invalid('secret', `secret must be at least ${MIN_SECRET} characters long.`);
  return value;
}

/** `callbackUrl`, `eventTypes` and `scope` required; `scopeId` required for `iTwin`; `secret` optional. */
export function parseNewWebhook(body: unknown, policy: CallbackPolicy): NewWebhook {
  const fields = new BodyFields(body, WEBHOOK_BODY);
  const url = callbackUrl(fields, policy, true);
  const types = eventTypes(fields, true);
  const scope = fields.oneOf('scope', WEBHOOK_SCOPES, true);
  const rawScopeId = fields.string('scopeId');
  let scopeId: string | null = null;
  // Required for an iTwin webhook; an Account webhook may name one too (checked and kept, not a filter).
  if (rawScopeId !== undefined && rawScopeId !== null && rawScopeId !== '') {
    if (!isGuid(rawScopeId)) fields.invalid('scopeId', 'scopeId must be the id of an iTwin.');
    else scopeId = canonicalGuid(rawScopeId);
  } else if (scope === 'iTwin') fields.missing('scopeId');
  const key = secret(fields);
  if (fields.details.length > 0) throw errors.invalidWebhookRequest(fields.details);
  return { callbackUrl: url!, eventTypes: types!, scope: scope!, scopeId, ...(key !== undefined ? { secret: key } : {}) };
}

/** A PATCH body: absent properties stay as they are. */
export function parseWebhookUpdate(body: unknown, policy: CallbackPolicy): WebhookUpdate {
  const fields = new BodyFields(body === undefined ? {} : body, WEBHOOK_UPDATE_BODY);
  const url = callbackUrl(fields, policy, false);
  const types = eventTypes(fields, false);
  const key = secret(fields);
  const rawActive = fields.raw('active');
  let active: boolean | undefined;
  if (rawActive !== undefined) {
    if (typeof rawActive === 'boolean') active = rawActive;
    else fields.invalid('active', 'active must be true or false.');
  }
  if (fields.details.length > 0) throw errors.invalidWebhookRequest(fields.details);
  const update: WebhookUpdate = {};
  if (url !== undefined) update.callbackUrl = url;
  if (types !== undefined) update.eventTypes = types;
  if (key !== undefined) update.secret = key;
  if (active !== undefined) update.active = active;
  return update;
}
