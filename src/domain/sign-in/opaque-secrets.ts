import { createHash, randomBytes } from 'node:crypto';

/** An authorization code or a refresh token: 32 random bytes, base64url (43 characters). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What a code or a refresh token is stored by: its SHA-256, base64url. Whoever reads the store cannot
 * use what it holds; 256 random bits need no salt or slow hash to resist guessing.
 */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}
