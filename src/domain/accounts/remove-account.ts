import type { Store } from '../store.js';

/**
 * Removes an account and ends its sign-ins: its refresh tokens are deleted with it. Access tokens
 * already issued are signed statements and stay valid until they expire (AUTH_TOKEN_TTL_SECONDS).
 * Its memberships stay, as those of any user who stops coming: they name a subject nobody can
 * sign in as any more.
 */
export async function removeAccount(store: Store, id: string): Promise<boolean> {
  return store.write(async (tx) => {
    const removed = await tx.accounts.delete(id);
    if (removed) await tx.signIn.revokeSubject(id);
    return removed;
  });
}
