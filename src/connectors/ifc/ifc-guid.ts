import { createHash } from 'node:crypto';

/**
 * IFC writes a GUID as 22 characters of its own base 64 (digits, upper and lower case letters, `_`
 * and `$`, in that order): the 128-bit number most significant digit first, the first character
 * holding only the top 2 bits. The GUID it encodes is the element's identity everywhere else (an
 * iModel's federation GUID, Bentley's IFC connector, other IFC tools), so it is decoded exactly.
 */
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_$';

/** The GUID (lower-case, hyphenated) an IFC GlobalId encodes, or undefined when it is not one. */
export function guidOfGlobalId(globalId: string): string | undefined {
  if (globalId.length !== 22) return undefined;
  let value = 0n;
  for (let i = 0; i < 22; i++) {
    const digit = DIGITS.indexOf(globalId[i]!);
    // The first character carries 2 bits: anything above 3 would overflow 128 bits.
    if (digit < 0 || (i === 0 && digit > 3)) return undefined;
    value = value * 64n + BigInt(digit);
  }
  return formatGuid(value.toString(16).padStart(32, '0'));
}

/**
 * A GUID for an element whose GlobalId cannot be its identity (missing, malformed, repeated in the
 * file, or already another source file's): derived from what does identify it, so that the same
 * element gets the same GUID on every synchronization. Shaped as a name-based (version 5) UUID.
 */
export function derivedGuid(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return formatGuid(hex.join(''));
}

function formatGuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
