import { BUILTIN_ADDRESS_DOMAIN, isEmailAddress } from '../users/model.js';

/** Thrown for an account that cannot be made or changed as asked; the message is for people. */
export class AccountProblem extends Error {}

const MAX_NAME = 255;
// C0 and C1 controls (line breaks included): a name is shown on pages and in lists, on one line.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The address as kept (trimmed), or an AccountProblem. The service's one rule for addresses
 * (isEmailAddress), so that every account can be added to an iTwin by its address. Not one at the
 * built-in issuer's own domain: those name its clients, and one address must not name two users.
 */
export function checkEmail(raw: string): string {
  const email = raw.trim();
  if (!isEmailAddress(email)) throw new AccountProblem(`"${raw}" is not an e-mail address`);
  if (email.toLowerCase().endsWith(`@${BUILTIN_ADDRESS_DOMAIN}`)) {
    throw new AccountProblem(`addresses at ${BUILTIN_ADDRESS_DOMAIN} are the built-in issuer's own, for its clients`);
  }
  return email;
}

/** A name as kept (trimmed; null when empty and optional), or an AccountProblem naming `what`. */
export function checkName(raw: string | undefined, what: string): string | null {
  const name = raw?.trim() ?? '';
  if (name === '') return null;
  if (name.length > MAX_NAME) throw new AccountProblem(`the ${what} has at most ${MAX_NAME} characters`);
  if (CONTROL.test(name)) throw new AccountProblem(`the ${what} holds a control character`);
  return name;
}
