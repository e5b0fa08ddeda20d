import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/** How long an authorization URL can be used: long enough to read the page, short enough to leak little. */
export const CONSENT_TICKET_TTL_SECONDS = 15 * 60;

/**
 * What a consent ticket says: `subject` may grant consent, then return to `redirectUrl`, until
 * `expires`, once (`id`). `clientId` is the OAuth client whose token asked for it: its registered
 * redirect URLs are checked again when the ticket is used.
 */
export interface ConsentClaims {
  /** Unique per ticket: what marks it used. */
  readonly id: string;
  readonly subject: string;
  readonly clientId?: string;
  /** Absolute http(s) URL, normalized (`new URL(…).href`). */
  readonly redirectUrl: string;
  /** Unix seconds. */
  readonly expires: number;
}

export type TicketCheck = { ok: true; claims: ConsentClaims } | { ok: false; reason: string };

/** Keeps the signature of one purpose from ever being valid for another use of HMAC. */
const CONTEXT = 'twinsync-consent-ticket.v1.';
const TICKET = /^([A-Za-z0-9_-]{1,8000})\.([A-Za-z0-9_-]{43})$/;

/**
 * The consent page is opened by a browser, which has no bearer token: the ticket in its URL says who
 * the user is. A ticket is `base64url(JSON claims) "." base64url(HMAC-SHA256)`, signed with a secret
 * that every process of the deployment shares (kept in its store: src/auth/deployment-secrets.ts), so
 * any of them can verify a ticket another one issued. Only someone who called
 * `authorizationinformation` with the user's token gets one.
 */
export class ConsentTickets {
  private constructor(
    private readonly secret: Buffer,
    readonly ttlSeconds: number,
  ) {}

  static fromSecret(secret: Buffer, ttlSeconds = CONSENT_TICKET_TTL_SECONDS): ConsentTickets {
    if (secret.length < 32) throw new Error('The consent ticket secret must be at least 32 bytes.');
    return new ConsentTickets(secret, ttlSeconds);
  }

  issue(subject: string, redirectUrl: string, clientId?: string, nowMs = Date.now()): string {
    return this.sign({ id: randomUUID(), subject, clientId, redirectUrl, expires: Math.floor(nowMs / 1000) + this.ttlSeconds });
  }

  /** Signs arbitrary claims (tests use it for tickets that have already expired). */
  sign(claims: ConsentClaims): string {
    const payload = Buffer.from(
      JSON.stringify({ jti: claims.id, sub: claims.subject, cid: claims.clientId, url: claims.redirectUrl, exp: claims.expires }),
    ).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  verify(ticket: unknown, nowMs = Date.now()): TicketCheck {
    if (ticket === undefined || ticket === '') return { ok: false, reason: 'the ticket parameter is required.' };
    if (typeof ticket !== 'string') return { ok: false, reason: 'the ticket is malformed.' };
    const match = TICKET.exec(ticket);
    if (!match) return { ok: false, reason: 'the ticket is malformed.' };
    const [, payload, signature] = match as unknown as [string, string, string];
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return { ok: false, reason: 'the ticket was not issued by this server or was altered.' };
    }
    const claims = decodeClaims(payload);
    if (!claims) return { ok: false, reason: 'the ticket is malformed.' };
    // Checked after the signature, so that an expiry cannot be probed without a genuine ticket.
    if (claims.expires * 1000 <= nowMs) return { ok: false, reason: 'the ticket has expired: ask your application for a new authorization URL.' };
    return { ok: true, claims };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(CONTEXT).update(payload).digest('base64url');
  }
}

function decodeClaims(payload: string): ConsentClaims | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { jti, sub, cid, url, exp } = value as Record<string, unknown>;
  if (typeof jti !== 'string' || jti === '' || typeof sub !== 'string' || sub === '' || typeof url !== 'string' || !Number.isSafeInteger(exp)) return undefined;
  if (cid !== undefined && typeof cid !== 'string') return undefined;
  return { id: jti, subject: sub, clientId: cid, redirectUrl: url, expires: exp as number };
}
