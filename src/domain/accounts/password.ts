import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * scrypt with N = 2^15, r = 8, p = 1: 32 MiB and about 50–100 ms per hash on a server core. OWASP's
 * floor for scrypt is N = 2^17 with the same r and p; 2^15 is a quarter of its memory so that a
 * small machine can check a few sign-ins at once. The parameters are stored with each hash, so they
 * can be raised later without invalidating the passwords already set.
 */
const LOG2_N = 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Node refuses scrypt above 32 MiB unless told: 128 · N · r bytes, plus room. */
const MAX_MEMORY = 2 * 128 * 2 ** 20 * R;

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

const FORMAT = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{16,})$/;

/** Why a password cannot be set: undefined when it can. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password has at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `a password has at most ${MAX_PASSWORD_LENGTH} characters`;
  return undefined;
}

/** A password for someone to type once and change: 24 characters from 18 random bytes (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** All password checks of a process are waiting: the caller should try again shortly. */
export class PasswordChecksBusy extends Error {
  constructor() {
    super('too many password checks at once');
  }
}

/**
 * Hashes and checks passwords with scrypt and a per-password random salt. A hash costs tens of
 * milliseconds of a thread of libuv's pool (shared with file reads and DNS), so at most
 * `concurrent` run at once per process and at most `waiting` wait: beyond that a check is refused
 * (PasswordChecksBusy) rather than queued, so that a flood of sign-in attempts costs bounded CPU and
 * memory and cannot starve the rest of the service.
 */
export class Passwords {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  /** The hash an unknown address is checked against, so that it takes as long as a known one. */
  private decoy: Promise<string> | undefined;

  constructor(
    private readonly concurrent = 2,
    private readonly waiting = 64,
  ) {}

  /** `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`, base64url. */
  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await this.derive(password, salt, LOG2_N, R, P);
    return `scrypt$${LOG2_N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  /** Whether `password` is the one `stored` was made from, compared in constant time. */
  async verify(password: string, stored: string): Promise<boolean> {
    const match = FORMAT.exec(stored);
    if (!match) return false;
    const [, logN, r, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
    const expected = Buffer.from(hash, 'base64url');
    const key = await this.derive(password, Buffer.from(salt, 'base64url'), Number(logN), Number(r), Number(p), expected.length);
    return key.length === expected.length && timingSafeEqual(key, expected);
  }

  /**
   * Spends the time of a check for an address no account has, and says no. The first call makes the
   * decoy hash, which costs what a check costs; later ones check against it.
   */
  async verifyNothing(password: string): Promise<false> {
    if (this.decoy === undefined) {
      this.decoy = this.hash(generatePassword());
      await this.decoy;
      return false;
    }
    await this.verify(password, await this.decoy);
    return false;
  }

  private async derive(password: string, salt: Buffer, logN: number, r: number, p: number, bytes = KEY_BYTES): Promise<Buffer> {
    await this.slot();
    try {
      return await new Promise<Buffer>((resolve, reject) => {
        scrypt(password.normalize('NFC'), salt, bytes, { N: 2 ** logN, r, p, maxmem: Math.max(MAX_MEMORY, 2 * 128 * 2 ** logN * r) }, (error, key) =>
          error ? reject(error) : resolve(key),
        );
      });
    } finally {
      // The slot goes to the first waiter as it is, or is given back.
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }

  private async slot(): Promise<void> {
    if (this.running < this.concurrent) {
      this.running++;
      return;
    }
    if (this.queue.length >= this.waiting) throw new PasswordChecksBusy();
    // A finishing check hands its slot over (see derive): `running` already counts it.
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }
}
