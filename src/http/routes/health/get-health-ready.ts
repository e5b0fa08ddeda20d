import { Type } from 'typebox';
import { errors } from '../../../domain/errors.js';
import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { errorResponses } from '../../schemas/common.js';
import { probeRoute } from './probe-route.js';
import type { Readiness } from './readiness.js';

const Ready = Type.Object(
  {
    status: Type.Literal('ready'),
    checks: Type.Record(Type.String(), Type.Literal('ok'), { description: 'store, migrations, and redis and worker when configured.' }),
  },
  { description: 'Every check passed: send traffic here.' },
);

/** Readiness: 200 when every check passes, else 503 NotReady with one detail per failed check. */
export function getHealthReadyRoute(app: App, ctx: Pick<AppContext, 'config'>, ready: Readiness): void {
  app.route({
    ...probeRoute(operations.getHealthReady, ctx.config.logLevel),
    schema: {
      operationId: operations.getHealthReady.id,
      tags: ['Operations'],
      summary: 'Readiness probe',
      response: { 200: Ready, ...errorResponses(503) },
    },
    handler: async (_request, reply) => {
      const report = await ready();
      reply.header('cache-control', 'no-store');
      if (!report.ready) throw errors.notReady(report.failures);
      return reply.send({ status: 'ready', checks: report.checks as Record<string, 'ok'> });
    },
  });
}
