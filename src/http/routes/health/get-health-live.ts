import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { probeRoute } from './probe-route.js';

const Live = Type.Object({ status: Type.Literal('ok') }, { description: 'The process is up and its event loop turns.' });

/** Liveness: answers as long as the process serves HTTP at all; checks nothing else, so a database outage never gets the process restarted. */
export function getHealthLiveRoute(app: App, ctx: Pick<AppContext, 'config'>): void {
  app.route({
    ...probeRoute(operations.getHealthLive, ctx.config.logLevel),
    schema: {
      operationId: operations.getHealthLive.id,
      tags: ['Operations'],
      summary: 'Liveness probe',
      response: { 200: Live },
    },
    handler: async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }),
  });
}
