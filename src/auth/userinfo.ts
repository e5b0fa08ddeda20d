import type { FastifyBaseLogger } from 'fastify';
import type { AuthConfig } from '../config.js';
import type { Profile } from '../domain/users/user-sightings.js';
import { addressClaim, personNames } from './token-verifier.js';

/** How long one question to the provider may take: the first request of a user waits for it. */
const TIMEOUT_MS = 3000;
/** After the provider could not be asked, how long before it is asked again (no request waits meanwhile). */
const COOLDOWN_MS = 60_000;

/**
 * Asks an external OpenID provider's userinfo endpoint (OpenID Connect Core §5.3) for the address and
 * names of a user whose access token carries none: many providers put them only there. The endpoint is
 * AUTH_USERINFO_URL, or the `userinfo_endpoint` of the issuer's discovery document. Asked once per user
 * and process (UserSightings remembers the answer); when the provider cannot be reached, nobody waits for
 * it again for a minute, and the user is asked about again after that.
 */
export class UserinfoClient {
  /** Where to ask; null when the provider's discovery document names no userinfo endpoint (then never asked). */
  private endpoint: string | null | undefined;
  private unavailableUntil = 0;

  private constructor(
    private readonly auth: AuthConfig,
    private readonly log: FastifyBaseLogger,
    private readonly now: () => number,
  ) {
    this.endpoint = auth.userinfoUrl;
  }

  /** One for an external issuer, unless AUTH_USERINFO_URL is `off`; none for the built-in one (its tokens always carry an address). */
  static forConfig(auth: AuthConfig, log: FastifyBaseLogger, now: () => number = Date.now): UserinfoClient | undefined {
    if (auth.mode !== 'external' || auth.userinfoUrl === 'off') return undefined;
    return new UserinfoClient(auth, log, now);
  }

  /**
   * The user's verified address and names as the provider gives them for this token; null when it
   * answered without an address (or about another subject); undefined when it could not be asked now.
   */
  async profileOf(token: string, subject: string): Promise<Profile | null | undefined> {
    if (this.now() < this.unavailableUntil) return undefined;
    try {
      if (this.endpoint === undefined) this.endpoint = await this.discover();
      const endpoint = this.endpoint;
      if (endpoint === null) return null;
      const response = await fetch(endpoint, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      // 401/403: this token may not read userinfo (no `openid` scope, say): an answer, not an outage.
      if (response.status === 401 || response.status === 403) return null;
      if (!response.ok) throw new Error(`userinfo answered ${response.status}`);
      const claims: unknown = await response.json();
      if (typeof claims !== 'object' || claims === null) throw new Error('userinfo did not answer a JSON object');
      return this.profileFrom(claims as Record<string, unknown>, subject);
    } catch (error) {
      this.unavailableUntil = this.now() + COOLDOWN_MS;
      this.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'the OpenID provider could not be asked for a user address');
      return undefined;
    }
  }

  /** OpenID Connect Core §5.3.2: a `sub` other than the token's must not be used. */
  private profileFrom(claims: Record<string, unknown>, subject: string): Profile | null {
    if (claims.sub !== subject) {
      this.log.warn('the OpenID provider answered userinfo about another subject: not used');
      return null;
    }
    const email = addressClaim(claims);
    if (!email) return null;
    return { email, ...personNames(claims) };
  }

  private async discover(): Promise<string | null> {
    const document = `${this.auth.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const response = await fetch(document, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!response.ok) throw new Error(`${document} answered ${response.status}`);
    const body = (await response.json()) as { userinfo_endpoint?: unknown };
    if (typeof body.userinfo_endpoint === 'string') return body.userinfo_endpoint;
    this.log.warn(`${document} names no userinfo_endpoint: users whose tokens carry no address stay without one`);
    return null;
  }
}
