import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed upload URL grants: writing `version` of `fileId` until `expires` (Unix seconds). */
export interface UploadGrant {
  fileId: string;
  version: number;
  expires: number;
  signature: string;
}

export type UploadCheck = { ok: true; version: number } | { ok: false; reason: string };

/**
 * Upload URLs are their own credential, like Azure SAS URLs: an HMAC-SHA256 over the file id, the
 * content version and the expiry, with a secret of the deployment kept in its store (made on first
 * start, src/auth/deployment-secrets.ts), so any of its processes verifies a URL another one signed.
 */
export class UploadSigner {
  private constructor(
    private readonly secret: Buffer,
    readonly ttlSeconds: number,
  ) {}

  static withSecret(secret: Buffer, ttlSeconds: number): UploadSigner {
    if (secret.length < 32) throw new Error('The upload URL secret must be at least 32 bytes.');
    return new UploadSigner(secret, ttlSeconds);
  }

  grant(fileId: string, version: number, nowMs = Date.now()): UploadGrant {
    const expires = Math.floor(nowMs / 1000) + this.ttlSeconds;
    return { fileId, version, expires, signature: this.sign(fileId, version, expires) };
  }

  /** Signs an arbitrary grant (tests use it for URLs that have already expired). */
  sign(fileId: string, version: number, expires: number): string {
    return this.mac([fileId, String(version)], expires);
  }

  /**
   * Signs a grant of another kind with the same secret (checkpoint downloads): the kind comes first
   * and the fields are one more than an upload's, so no grant of one kind verifies as another.
   */
  signGrant(kind: string, fields: readonly string[], expires: number): string {
    return this.mac([kind, ...fields], expires);
  }

  /** The HMAC of the lines of a grant, its expiry last: one format for every kind of grant. */
  private mac(lines: readonly string[], expires: number): string {
    return createHmac('sha256', this.secret)
      .update(`${lines.join('\n')}\n${expires}`)
      .digest('base64url');
  }

  /**
   * Checks a grant signGrant made: the signature first, then the expiry (the reason when it fails;
   * `renew` says how to get a new URL once it expired).
   */
  verifyGrant(
    kind: string,
    fields: readonly string[],
    params: { expires?: string; signature?: string },
    nowMs = Date.now(),
    renew = 'ask for the checkpoint again for a new one.',
  ): string | undefined {
    const { expires, signature } = params;
    if (!expires || !signature) return 'the expires and signature parameters are required.';
    if (!/^\d{1,12}$/.test(expires)) return 'the signature does not match.';
    if (!sameSignature(this.signGrant(kind, fields, Number(expires)), signature)) return 'the signature does not match.';
    if (Number(expires) * 1000 <= nowMs) return `it has expired; ${renew}`;
    return undefined;
  }

  verify(fileId: string, params: { version?: string; expires?: string; signature?: string }, nowMs = Date.now()): UploadCheck {
    const { version, expires, signature } = params;
    if (!version || !expires || !signature) return { ok: false, reason: 'the version, expires and signature parameters are required.' };
    if (!/^[1-9]\d{0,9}$/.test(version) || !/^\d{1,12}$/.test(expires)) return { ok: false, reason: 'the signature does not match.' };
    if (!sameSignature(this.sign(fileId, Number(version), Number(expires)), signature)) return { ok: false, reason: 'the signature does not match.' };
    // Checked after the signature, so that an expiry cannot be probed without a valid URL.
    if (Number(expires) * 1000 <= nowMs) return { ok: false, reason: 'it has expired; ask for a new one with updatecontent.' };
    return { ok: true, version: Number(version) };
  }
}

/** Compares in constant time, so that a signature cannot be guessed byte by byte from timings. */
function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
