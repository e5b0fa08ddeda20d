import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import type { Repositories } from '../store.js';

/** Only owners add or remove owners (the platform's rule); 403 otherwise. */
export async function requireOwner(repos: Pick<Repositories, 'itwins'>, caller: Pick<Caller, 'subject'>, itwinId: string): Promise<void> {
  const access = await repos.itwins.accessOf(itwinId, caller.subject);
  if (!access?.owner) throw errors.insufficientPermissions();
}
