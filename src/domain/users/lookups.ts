import type { Caller } from '../caller.js';
import { MalformedBody } from '../request-body.js';
import { errors } from '../errors.js';
import type { Store } from '../store.js';
import type { User } from './model.js';

const MAX_IDS = 1000;
const MAX_RESULTS = 1000;

/**
 * The caller as the service knows it: its subject, and the address and names of its token or, failing
 * that, the last ones it was seen with; `null` when it never came with them (docs/access-control.md, "Users").
 */
export async function getMe(store: Store, caller: Caller): Promise<User> {
  if (caller.email !== undefined) return { subject: caller.subject, email: caller.email, ...namesOf(caller) };
  return (await store.users.find(caller.subject)) ?? { subject: caller.subject, email: null };
}

/** The names a caller's token came with. */
export function namesOf(caller: Caller): Pick<User, 'displayName' | 'givenName' | 'surname'> {
  return { displayName: caller.name ?? null, givenName: caller.givenName ?? null, surname: caller.surname ?? null };
}

/** The users among these ids that the service has seen (unknown ids are left out), in the order asked. */
export async function getUsersByIds(store: Store, caller: Caller, body: unknown): Promise<User[]> {
  if (body instanceof MalformedBody) throw errors.invalidUsersRequest([{ code: 'InvalidRequestBody', message: body.reason }]);
  if (!Array.isArray(body) || body.length === 0 || body.some((id) => typeof id !== 'string' || id === '' || id.length > 255)) {
    throw errors.invalidUsersRequest([{ code: 'InvalidRequestBody', message: 'The request body must be a non-empty JSON array of user ids.' }]);
  }
  if (body.length > MAX_IDS) throw errors.invalidUsersRequest([{ code: 'InvalidRequestBody', message: `At most ${MAX_IDS} ids can be asked for at once.` }]);
  const ids = [...new Set(body as string[])];
  const found = new Map((await store.users.findMany(ids)).map((u) => [u.subject, u]));
  if (!found.has(caller.subject) && ids.includes(caller.subject)) found.set(caller.subject, await getMe(store, caller));
  return ids.flatMap((id) => found.get(id) ?? []);
}

/** Users whose subject or address contains the text (3 to 200 characters), at most 1000, no paging (as the platform). */
export async function searchUsers(store: Store, query: Record<string, unknown>): Promise<User[]> {
  const text = query.$search;
  if (typeof text !== 'string' || text.trim().length < 3 || text.length > 200) {
    throw errors.invalidUsersRequest([
      { code: 'InvalidParameter', message: '$search is required and must be between 3 and 200 characters.', target: '$search' },
    ]);
  }
  return (await store.users.search(text.trim(), { skip: 0, top: MAX_RESULTS })).slice(0, MAX_RESULTS);
}
