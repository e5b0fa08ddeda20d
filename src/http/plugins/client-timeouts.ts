import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TimeoutsConfig } from '../../config.js';
import { errors, type ApiError } from '../../domain/errors.js';
import { hasBody } from '../has-body.js';
import { operations } from '../operations.js';

/**
 * Time limits on request bodies, and no connection left open behind an answer given before the
 * body arrived. (Headers and idle keep-alive connections are Node's own limits, set in app.ts.)
 *
 * - Every body has an idle limit: the socket's own inactivity timer, which Node's parser refreshes
 *   whenever bytes arrive. A body (not an upload) also has a whole-request limit from the end of its
 *   headers. Node's `requestTimeout` cannot be used for that: it is one setting for the whole server
 *   and would cut uploads, which may rightly take hours; they get only their own idle limit.
 * - On a limit the body stream the route reads (a PassThrough put in front of it in preParsing, for
 *   a body not all there when the route starts reading it) is
 *   destroyed with 408 RequestTimeout: the route fails as for any error and the error handler still
 *   answers in the error shape. The request itself is not destroyed, since that would take the socket
 *   with it before the answer is written. Once an answer is out (or cannot be written), the socket goes.
 * - Any answer sent while the body has not all arrived says `Connection: close` (Node then closes the
 *   socket once the answer is written): otherwise a rejected client (401, 403, 413, 415, 408…) could
 *   keep the socket open by sending its body slowly, or never.
 */
export function registerClientTimeouts(app: FastifyInstance, timeouts: TimeoutsConfig): void {
  app.addHook('preParsing', (request, reply, payload, done) => {
    if (!onSocket(request) || !hasBody(request.headers) || request.raw.complete) return done(null, payload);
    // The hooks before this one ran as soon as Node's parser had the headers, and a small body usually
    // came in the same packet, which the parser reads on once they are done. One turn of the event loop
    // later (not a tick: ticks run between the parser's callbacks) most bodies are all there and need
    // neither limits nor a stream in front of them. Watching every body from its headers on, as this
    // did before, cost more than the rest of this plugin: a timer, listeners and a stream per request.
    setImmediate(() => {
      if (request.raw.complete) return done(null, payload);
      const watch = isUpload(request)
        ? new BodyWatch(payload, request, reply, { ms: timeouts.uploadIdleMs, setting: 'UPLOAD_IDLE_TIMEOUT_MS' })
        : new BodyWatch(
            payload,
            request,
            reply,
            { ms: timeouts.bodyIdleMs, setting: 'BODY_IDLE_TIMEOUT_MS' },
            // The whole-request limit counts from the end of the headers, where Fastify's reply clock starts
            // (it runs because the app has a logger: without one, elapsedTime would stay 0 and the limit
            // would count from here).
            { leftMs: Math.max(0, timeouts.requestMs - reply.elapsedTime), ms: timeouts.requestMs },
          );
      done(null, watch.stream);
    });
  });

  app.addHook('onSend', (request, reply, payload, done) => {
    if (!onSocket(request) || !hasBody(request.headers) || request.raw.complete) return done(null, payload);
    // Answers come before the parser has read a body that came in the same packet as the headers
    // (the hooks run in between): look again once it has, so that a keep-alive client keeps its connection.
    setImmediate(() => {
      if (!request.raw.complete) reply.header('connection', 'close');
      done(null, payload);
    });
  });
}

/** The one route whose body is a long upload stream: idle limit `uploadIdleMs`, no whole-request limit. */
function isUpload(request: FastifyRequest): boolean {
  return request.routeOptions.config.operation?.id === operations.uploadFileContent.id;
}

/** A request on a real connection (app.inject's requests have a stand-in socket, and no client to wait for). */
function onSocket(request: FastifyRequest): boolean {
  return typeof request.raw.socket?.setTimeout === 'function';
}

/** The limits on one request body, from the route's first look at it until it has all arrived. */
class BodyWatch {
  /** The body stream the route reads instead of the request itself. */
  readonly stream = new PassThrough();
  private expired = false;
  private total?: NodeJS.Timeout;
  private readonly socket: Socket;

  /**
   * `payload`: the body as the hooks before this one left it. `total`: the time left of the
   * whole-request limit (none for uploads), and that limit as configured.
   */
  constructor(
    payload: NodeJS.ReadableStream,
    private readonly request: FastifyRequest,
    private readonly reply: FastifyReply,
    private readonly idle: { ms: number; setting: string },
    total?: { leftMs: number; ms: number },
  ) {
    const raw = request.raw;
    this.socket = raw.socket;
    this.socket.setTimeout(idle.ms);
    // Node emits 'timeout' on the response while it is attached to the socket; a listener keeps Node
    // from destroying the socket itself, so that a 408 can still be written.
    reply.raw.on('timeout', this.onIdle);
    if (total !== undefined) {
      this.total = setTimeout(() => this.expire(errors.requestTimeout(`the body did not arrive within ${total.ms} ms (REQUEST_TIMEOUT_MS)`)), total.leftMs);
      this.total.unref();
    }
    raw.once('end', this.stop);
    raw.once('close', this.stop);
    reply.raw.once('close', this.stop);
    const stream = this.stream;
    // Nobody may be reading it (a route that ignores its body); a timeout is not a crash then.
    stream.on('error', () => {});
    // pipe, not pipeline: destroying this stream must not destroy the request (and its socket).
    payload.pipe(stream);
    // …nor does it pass on the client going away: say so as a reset, as the request itself would.
    // (The error made only then: an Error's stack trace costs more than the rest of this.)
    const gone = () => stream.destroy(Object.assign(new Error('the client went away before the whole body arrived'), { code: 'ECONNRESET' }));
    payload.once('aborted', gone);
    payload.once('error', gone);
    // Gone already, in the turn before this watch began: those events came and went.
    if (request.raw.destroyed) {
      this.stop();
      gone();
    }
  }

  private readonly onIdle = (): void => {
    // The body is all in (a route still working on it): the client did its part, the idle limit ends.
    if (this.request.raw.complete) return this.stop();
    this.expire(errors.requestTimeout(`nothing arrived for ${this.idle.ms} ms (${this.idle.setting})`));
  };

  private expire(error: ApiError): void {
    if (this.expired || this.request.raw.complete) return;
    this.expired = true;
    this.clearTimers();
    this.request.log.info({ reason: error.message }, 'request timed out');
    if (this.reply.sent || this.reply.raw.headersSent) {
      // An answer is already on its way or out (with Connection: close): nothing more can be said.
      this.socket.destroy();
    } else {
      // The route fails with the 408 and the error handler answers it (Connection: close, see onSend).
      this.stream.destroy(error);
    }
    // Whatever happens, a client that sends nothing more does not keep the socket: a last limit.
    setTimeout(() => this.socket.destroy(), 5_000).unref();
  }

  private clearTimers(): void {
    if (this.total) clearTimeout(this.total);
    this.total = undefined;
  }

  readonly stop = (): void => {
    this.clearTimers();
    this.reply.raw.removeListener('timeout', this.onIdle);
    // Node sets its keep-alive timer on the socket once the answer is written: leave that one alone.
    if (!this.reply.raw.writableFinished && !this.socket.destroyed) this.socket.setTimeout(0);
  };
}
