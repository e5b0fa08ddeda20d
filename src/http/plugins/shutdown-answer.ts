import type { FastifyInstance } from 'fastify';
import { errors } from '../../domain/errors.js';
import { sendError } from '../error-handler.js';

/**
 * While the app closes (from `app.close()` until its last connection ends), every request that
 * still arrives (on a keep-alive connection, or pipelined behind one in flight) is answered 503
 * `ServiceUnavailable` in the error shape, with retry-after and `Connection: close`, before any
 * other work: a balancer or client retries it on another process. Fastify's own
 * `return503OnClosing` answers in a shape of its own and without retry-after, so it is turned off
 * where the app is made, and this takes its place.
 */
export function registerShutdownAnswer(app: FastifyInstance): void {
  let closing = false;
  // preClose runs as close starts, before the server stops accepting and in-flight requests drain.
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    reply.header('connection', 'close');
    sendError(reply, errors.serviceUnavailable());
  });
}
