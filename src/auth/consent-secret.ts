import { randomBytes } from 'node:crypto';
import { CONSENT_TICKET_TTL_SECONDS, ConsentTickets } from '../domain/consent/consent-ticket.js';
import { readOrCreateJson } from '../shared/json-file.js';

const SECRET_FILE = 'consent-secret.json';

/**
 * The consent tickets of a deployment: signed with the secret in DATA_DIR/consent-secret.json, made
 * on first start (32 random bytes), so every process on that DATA_DIR verifies the others' tickets.
 */
export function loadConsentTickets(dataDir: string, ttlSeconds = CONSENT_TICKET_TTL_SECONDS): ConsentTickets {
  const { secret } = readOrCreateJson<{ secret: string }>(dataDir, SECRET_FILE, () => ({ secret: randomBytes(32).toString('base64url') }));
  const bytes = Buffer.from(String(secret), 'base64url');
  if (bytes.length < 32) throw new Error(`${SECRET_FILE}: the secret must be at least 32 bytes (base64url).`);
  return ConsentTickets.fromSecret(bytes, ttlSeconds);
}
