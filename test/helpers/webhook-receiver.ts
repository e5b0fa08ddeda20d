import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedEvent {
  messageId: string;
  eventType: string;
  webhookId: string;
  iTwinId: string;
  enqueuedDateTime: string;
  content: Record<string, any>;
}

/**
 * A webhook receiver on loopback, as a customer would write one: it checks each request's
 * `Signature` (sha256=HMAC of the raw body with the secret) and counts what it got. `failNext(n)`
 * answers the next n requests 500 (an outage); `down()` / `up()` close and reopen its port.
 */
export class WebhookReceiver {
  readonly requests: ReceivedEvent[] = [];
  readonly badSignatures: string[] = [];
  secret = '';
  private failures = 0;
  private server?: http.Server;
  port = 0;

  async start(port = 0): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const expected = `sha256=${createHmac('sha256', this.secret).update(raw).digest('hex')}`;
        const given = String(req.headers.signature ?? '');
        if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
          this.badSignatures.push(given);
          res.writeHead(401).end();
          return;
        }
        if (this.failures > 0) {
          this.failures--;
          res.writeHead(500).end('outage');
          return;
        }
        this.requests.push(JSON.parse(raw.toString('utf8')));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/events`;
  }

  failNext(n: number): void {
    this.failures = n;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async up(): Promise<void> {
    await this.start(this.port);
  }

  /** Distinct message ids received. */
  messageIds(): Set<string> {
    return new Set(this.requests.map((r) => r.messageId));
  }

  async waitFor(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`receiver: not in time; got ${this.requests.length} events`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
