import type { FastifyInstance } from 'fastify';
import { errors } from '../../domain/errors.js';
import type { App } from '../context.js';
import { hasBody } from '../has-body.js';

const FORM = 'application/x-www-form-urlencoded';

/**
 * The app-wide rule: a form body is refused unread (415 in the error shape, as a JSON operation
 * answers any body that is not JSON), and a form Content-Type with no body is no body, so that
 * body-less POSTs (run, complete) sent as `curl -X POST -H 'Content-Type: …form…'` still pass.
 * Without this parser Fastify would refuse those too, since it looks for a parser even when the
 * body is empty.
 */
export function refuseFormBodies(app: FastifyInstance): void {
  app.addContentTypeParser(FORM, (request, _payload, done) => {
    if (hasBody(request.headers)) done(errors.unsupportedMediaType(), undefined);
    else done(null, undefined);
  });
}

/**
 * Registers `routes` in a plugin scope of their own that reads form-encoded bodies: only the token
 * endpoint and the consent form take forms. The scope is a child of `app`: it keeps the app's hooks,
 * error handler and JSON parser, so it can be called in any order with the other route groups once
 * the app's plugins are registered.
 */
export function withFormBodies(app: App, routes: (scope: App) => void): void {
  app.register(async (scope: App) => {
    scope.removeContentTypeParser(FORM); // the app-wide refusal, inherited
    // A repeated field keeps its last value: the token endpoint and the consent form read one of each.
    scope.addContentTypeParser(FORM, { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    routes(scope);
  });
}
