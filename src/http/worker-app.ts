import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Store } from '../domain/store.js';
import type { App } from './context.js';
import { clientErrorHandler, frameworkErrors, MAX_PARAM_LENGTH, registerErrorHandling } from './error-handler.js';
import './fastify-types.js';
import { registerRouteRegistry } from './plugins/route-registry.js';
import { registerShutdownAnswer } from './plugins/shutdown-answer.js';
import { healthRoutes } from './routes/health/index.js';
import { readiness } from './routes/health/readiness.js';
import { metricsRoutes } from './routes/metrics/index.js';

/**
 * What a worker-only process (`npm run worker`) serves on WORKER_HEALTH_PORT: the same
 * /health/live, /health/ready (store, migrations, worker) and /metrics as the API, nothing else,
 * so that an orchestrator can probe it and Prometheus can scrape its task durations and leases,
 * which only that process knows.
 */
export async function buildWorkerApp(
  config: Config,
  deps: { store: Store; logger: FastifyBaseLogger; metrics?: Metrics; workerRunning: () => boolean },
): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new LogController({ disableRequestLogging: true }),
    // The same answers as the API's to what Node's parser or the router refuses (a bad
    // percent-encoding, headers too large): in the error shape, never repeating the request.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    clientErrorHandler,
    frameworkErrors,
    return503OnClosing: false, // plugins/shutdown-answer.ts answers instead, in the error shape
  }).withTypeProvider<TypeBoxTypeProvider>();
  registerRouteRegistry(app); // the error handler reads it (405 for known paths)
  registerErrorHandling(app, config.bodyLimit);
  registerShutdownAnswer(app);
  healthRoutes(app, { config }, readiness({ store: deps.store, workerRunning: deps.workerRunning, log: app.log }));
  metricsRoutes(app, config, deps.metrics);
  await app.ready();
  return app;
}
