import { randomBytes, randomUUID } from 'node:crypto';

// randomBytes costs a call into OpenSSL per call (8% of a create's CPU when taken per id): the
// bytes are drawn 128 ids at a time instead, as randomUUID does. They are as random either way.
const POOL_BYTES = 32 * 128;
let pool = Buffer.alloc(0);
let poolOffset = 0;

/** Storage connections and storage files: 43-char base64url of 32 random bytes, like Bentley's. */
export function newOpaqueId(): string {
  if (poolOffset + 32 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  poolOffset += 32;
  return pool.toString('base64url', poolOffset - 32, poolOffset);
}

/** iTwins, iModels, source files and runs: UUID v4 (itwin-cli checks source file ids with an RFC 4122 regex). */
export function newGuid(): string {
  return randomUUID();
}

const OPAQUE = /^[A-Za-z0-9_-]{43}$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isOpaqueId(value: string): boolean {
  return OPAQUE.test(value);
}

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** GUIDs are stored lower-case; a client may send them in either case. */
export function canonicalGuid(value: string): string {
  return value.toLowerCase();
}
