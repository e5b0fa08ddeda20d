import net from 'node:net';

/**
 * A client socket that writes what it is told, byte for byte, and records what comes back and when
 * the server closed it: what a slow or hostile client looks like, which fetch cannot be.
 */
export class RawSocket {
  readonly socket: net.Socket;
  private received = Buffer.alloc(0);
  /** When the server ended or reset the connection (ms since the epoch), once it has. */
  closedAt?: number;
  readonly closed: Promise<number>;
  readonly connected: Promise<void>;

  constructor(origin: string) {
    const { hostname, port } = new URL(origin);
    this.socket = net.connect({ host: hostname, port: Number(port) });
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    this.socket.on('data', (chunk: Buffer) => (this.received = Buffer.concat([this.received, chunk])));
    this.closed = new Promise((resolve) => {
      const done = () => resolve((this.closedAt ??= Date.now()));
      this.socket.once('end', done);
      this.socket.once('close', done);
    });
    // A reset from the server is one way of closing: recorded by 'close', not a test failure.
    this.socket.on('error', () => {});
  }

  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Everything received so far, as text. */
  text(): string {
    return this.received.toString('latin1');
  }

  /** The status code of the first response, once its status line has arrived. */
  status(): number | undefined {
    const match = /^HTTP\/1\.1 (\d{3})/.exec(this.text());
    return match ? Number(match[1]) : undefined;
  }

  /** The headers (lower-cased names) and body of the first response. */
  response(): { status?: number; headers: Record<string, string>; body: string } {
    const text = this.text();
    const end = text.indexOf('\r\n\r\n');
    const headers: Record<string, string> = {};
    for (const line of text
      .slice(0, end < 0 ? text.length : end)
      .split('\r\n')
      .slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    return { status: this.status(), headers, body: end < 0 ? '' : text.slice(end + 4) };
  }

  /** Resolves with the close time, or rejects after `ms`. */
  async closedWithin(ms: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.closed,
        new Promise<number>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`the server did not close the connection within ${ms} ms; received: ${this.text().slice(0, 300)}`)), ms);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** The request line and headers of a request, ending with the blank line. */
export function head(method: string, url: string, headers: Record<string, string | number>): string {
  const { pathname, search, host } = new URL(url, 'http://x');
  const lines = [`${method} ${pathname}${search} HTTP/1.1`, `host: ${host}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}
