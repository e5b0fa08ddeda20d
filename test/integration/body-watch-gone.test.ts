import assert from 'node:assert/strict';
import net from 'node:net';
import type { Readable } from 'node:stream';
import { after, before, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { registerClientTimeouts } from '../../src/http/plugins/client-timeouts.js';

/**
 * The body's time limits (client-timeouts.ts) begin one turn of the event loop after the route starts
 * reading a body that has not all arrived. A client gone before that turn has had its 'aborted' and
 * 'close' before the watch listens: the body the route reads must fail at once, not wait for events
 * that came already (for an upload, which has no whole-request limit, that wait would never end).
 * The plugin on a plain Fastify app, a real socket, and a hook that drops the connection as a client
 * gone at that moment would.
 */
let app: FastifyInstance;
let port: number;
const outcomes: { code: string; ms: number }[] = [];

before(async () => {
  // A logger, as the service's apps have: Fastify's reply clock (the whole-request limit) runs with it.
  app = Fastify({ loggerInstance: pino({ level: 'silent' }) }) as unknown as FastifyInstance;
  // The connection dropped, and the hooks go on only once the request has seen it go ('close'):
  // as a client gone in the turn before the watch, whose events all came before it listens.
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.headers['x-drop'] !== 'yes') return done();
    request.raw.once('close', () => done());
    request.raw.socket.destroy();
  });
  registerClientTimeouts(app, { headersMs: 60_000, requestMs: 60_000, bodyIdleMs: 60_000, uploadIdleMs: 60_000, keepAliveMs: 5_000 });
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  app.post('/body', async (request) => {
    const started = Date.now();
    try {
      for await (const _chunk of request.body as Readable);
      outcomes.push({ code: 'complete', ms: Date.now() - started });
    } catch (error) {
      outcomes.push({ code: (error as NodeJS.ErrnoException).code ?? String(error), ms: Date.now() - started });
    }
    return {};
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as net.AddressInfo).port;
});
after(() => app.close());

async function send(head: string, body: string): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(head + body);
}

it('a body whose client is gone before its watch begins fails at once with ECONNRESET', async () => {
  await send('POST /body HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000\r\nX-Drop: yes\r\n\r\n', 'x'.repeat(10));
  const deadline = Date.now() + 5_000;
  while (outcomes.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(outcomes.length, 1, 'the route saw its body end within 5 s (its limits are a minute)');
  assert.equal(outcomes[0]!.code, 'ECONNRESET');
});
