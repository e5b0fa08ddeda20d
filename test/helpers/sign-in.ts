import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A PKCE pair as a client makes one (RFC 7636 §4.1, §4.2): 32 random bytes, and their S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** What a browser keeps between the sign-in page and its post: the form's cookie. */
export class Browser {
  cookie: string | undefined;

  /** GET with `Accept: text/html`, keeping the cookie the answer sets. */
  async open(url: string): Promise<{ status: number; html: string; headers: Headers; formToken?: string }> {
    const res = await fetch(url, { headers: this.headers(), redirect: 'manual' });
    this.keep(res);
    const html = await res.text();
    return { status: res.status, html, headers: res.headers, formToken: formTokenOf(html) };
  }

  /** POSTs the form to `url` as a browser would (form-encoded, the cookie), following redirects or not. */
  async post(url: string, fields: Record<string, string>, follow = false): Promise<Response> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: follow ? 'follow' : 'manual',
    });
    this.keep(res);
    return res;
  }

  private headers(): Record<string, string> {
    return { accept: 'text/html,application/xhtml+xml', ...(this.cookie ? { cookie: this.cookie } : {}) };
  }

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) this.cookie = line.split(';')[0];
  }
}

export function formTokenOf(html: string): string | undefined {
  return /name="form_token" value="([^"]*)"/.exec(html)?.[1];
}

/** A client application's redirect URI on loopback: answers 200 and remembers every query it received. */
export class CallbackReceiver {
  readonly received: URLSearchParams[] = [];
  private server?: http.Server;
  port = 0;

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
      this.received.push(new URL(req.url ?? '/', 'http://x').searchParams);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('signed in');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/callback`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** The claims of a JWT, unverified (tests look at what was issued; the service verifies). */
export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
