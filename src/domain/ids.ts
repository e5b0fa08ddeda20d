import { randomBytes, randomUUID } from 'node:crypto';

// randomBytes costs a call into OpenSSL per call (8% of a create's CPU when taken per id): the
// bytes are drawn for 128 ids at a time instead, as randomUUID does. They are as random either way.
const RANDOM_BYTES = 26;
const POOL_BYTES = RANDOM_BYTES * 128;
let pool = Buffer.alloc(0);
let poolOffset = 0;
const scratch = Buffer.alloc(32);

/**
 * Storage connections, storage files and folders: 43-char base64url of 32 bytes, like Bentley's. The
 * first 6 bytes are the time in milliseconds, the other 26 random (208 bits, as unguessable as an id
 * needs to be). Ids made close in time are close as text, so a batch of inserts touches a few pages
 * of each index on them instead of one page per row: on SQLite that made a create 2.6 times cheaper
 * (docs/decisions.md, "Opaque ids begin with the time").
 */
export function newOpaqueId(): string {
  if (poolOffset + RANDOM_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  scratch.writeUIntBE(Date.now(), 0, 6);
  pool.copy(scratch, 6, poolOffset, poolOffset + RANDOM_BYTES);
  poolOffset += RANDOM_BYTES;
  return scratch.toString('base64url');
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
