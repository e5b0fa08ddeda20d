import { randomBytes, randomUUID } from 'node:crypto';

/** Storage connections and storage files: 43-char base64url of 32 random bytes, like Bentley's. */
export function newOpaqueId(): string {
  return randomBytes(32).toString('base64url');
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
