import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Redis } from 'ioredis';
import type { BuiltinIssuer } from './auth/builtin-issuer.js';
import { loadDeploymentSecrets } from './auth/deployment-secrets.js';
import { ConsentTickets } from './domain/consent/consent-ticket.js';
import { Passwords } from './domain/accounts/password.js';
import { SignInForms } from './domain/sign-in/sign-in-forms.js';
import { UploadSigner } from './domain/storage/upload-signing.js';
import type { TokenVerifier } from './auth/token-verifier.js';
import type { Config } from './config.js';
import type { App, AppContext } from './http/context.js';
import { LocalBlobStore } from './blobs/local-blob-store.js';
import type { BlobStore } from './domain/blob-store.js';
import { lazySerializers } from './http/lazy-serializers.js';
import { clientErrorHandler, frameworkErrors, MAX_PARAM_LENGTH, registerErrorHandling } from './http/error-handler.js';
import './http/fastify-types.js';
import { registerAcceptCheck } from './http/plugins/accept.js';
import { bearerToken, registerAuthentication } from './http/plugins/authenticate.js';
import { UserSightings } from './domain/users/user-sightings.js';
import { profileFinder } from './auth/profile-finder.js';
import { registerClientTimeouts } from './http/plugins/client-timeouts.js';
import { registerCors } from './http/plugins/cors.js';
import { refuseFormBodies } from './http/plugins/form-body.js';
import { registerJsonBodyParser } from './http/plugins/json-body.js';
import { registerApiReference, registerOpenApi } from './http/plugins/openapi.js';
import { registerRateLimit } from './http/plugins/rate-limit.js';
import { registerRequestLog } from './http/plugins/request-log.js';
import { registerRouteRegistry } from './http/plugins/route-registry.js';
import { registerShutdownAnswer } from './http/plugins/shutdown-answer.js';
import { registerRequestMetrics } from './http/plugins/metrics.js';
import { healthRoutes } from './http/routes/health/index.js';
import { readiness } from './http/routes/health/readiness.js';
import { metricsRoutes } from './http/routes/metrics/index.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { authorizationRoutes } from './http/routes/authorization/index.js';
import { accessControlRoutes } from './http/routes/access-control/index.js';
import { usersRoutes } from './http/routes/users/index.js';
import { imodelRoutes } from './http/routes/imodels/index.js';
import { itwinRoutes } from './http/routes/itwins/index.js';
import { oidcRoutes } from './http/routes/oidc/index.js';
import { runRoutes } from './http/routes/runs/index.js';
import { reportRoutes } from './http/routes/reports/index.js';
import { changedElementsRoutes } from './http/routes/changed-elements/index.js';
import { errorArticleRoutes } from './http/routes/error-articles/index.js';
import { sourceFileRoutes } from './http/routes/source-files/index.js';
import { storageConnectionRoutes } from './http/routes/storage-connections/index.js';
import { manifestConnectionRoutes } from './http/routes/manifest-connections/index.js';
import { storageRoutes } from './http/routes/storage/index.js';
import { registerNulCheck, validatorCompiler } from './http/validation.js';
import type { Store } from './domain/store.js';
import type { CheckpointMaker } from './domain/versions/checkpoint-maker.js';
import type { ModelExporter } from './domain/model-view/model-exporter.js';
import { configurationRoutes } from './http/routes/configurations/index.js';
import { changesetRoutes } from './http/routes/changesets/index.js';
import { checkpointRoutes } from './http/routes/checkpoints/index.js';
import { modelViewRoutes } from './http/routes/model-view/index.js';
import { imodelUserRoutes } from './http/routes/imodel-users/index.js';
import { namedVersionRoutes } from './http/routes/named-versions/index.js';
import { webhookRoutes } from './http/routes/webhooks/index.js';
import { eventStreamRoutes } from './http/routes/events/index.js';
import { webAppRoutes } from './http/routes/web-app/index.js';

export interface AppDeps {
  store: Store;
  /** Where content lives; the local folder DATA_DIR when not given. */
  blobs?: BlobStore;
  verifier: TokenVerifier;
  /** The built-in issuer, when it is on (no AUTH_ISSUER). */
  issuer?: BuiltinIssuer;
  logger: FastifyBaseLogger;
  /** Wakes an in-process worker when a run is queued. */
  runQueued?: () => void;
  /** Shares rate-limit counters with other API processes (REDIS_URL; see redis/open-redis.ts). */
  redis?: Redis;
  /** The process's metrics, shared with its worker; made here when METRICS is on and none is given. */
  metrics?: Metrics;
  /** When this process runs a worker: whether it is running (GET /health/ready checks it). */
  workerRunning?: () => boolean;
  /** Writes an iModel's empty baseline checkpoint on first request (iTwin.js; start.ts wires it). */
  checkpointMaker?: CheckpointMaker;
  /** Checks account passwords; one is made when not given (start.ts shares its own with the sign-in setup). */
  passwords?: Passwords;
  /** The clock of sign-in (codes, refresh tokens, forms), in ms; Date.now when not given. Tests move it. */
  now?: () => number;
  /** Exports versions' models for the model view (iTwin.js in a child process; start.ts wires it). */
  modelExporter?: ModelExporter;
}

/**
 * The whole HTTP service, ready but not listening. The request pipeline, in order:
 * CORS (onRequest) → 503 while closing (onRequest) → identify caller (onRequest) → rate limit (onRequest)
 * → reject unauthenticated (preParsing) → Accept check (preParsing) → parse JSON → handler → one error renderer.
 */
export async function buildApp(config: Config, deps: AppDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.logger,
    // One line per request, written by plugins/request-log.ts with the operation id.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimit,
    // Real clients send ids in either case of path segment; routes are matched case-insensitively.
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: MAX_PARAM_LENGTH },
    // Answers refused by Node's HTTP parser or by the router, in the error shape too (http/error-handler.ts).
    clientErrorHandler,
    frameworkErrors,
    // Requests arriving while it closes: our own 503 in the error shape (plugins/shutdown-answer.ts).
    return503OnClosing: false,
    // Response serializers are compiled at each route's first answer, not all at start (http/lazy-serializers.ts).
    schemaController: lazySerializers,
    // Slow clients (plugins/client-timeouts.ts): Node cuts slow headers and idle keep-alive connections;
    // its requestTimeout stays off (it would cut uploads): bodies have their own limits in the plugin.
    // (Fastify sets the server's requestTimeout from its own option, over any given in `http`.)
    keepAliveTimeout: config.timeouts.keepAliveMs,
    requestTimeout: 0,
    http: {
      headersTimeout: config.timeouts.headersMs,
      // How often Node looks for connections past their header limit (its default is every 30 s).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(config.timeouts.headersMs / 4))),
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);

  // The deployment's secrets are its store's, so every API process signs and verifies alike.
  const secrets = await loadDeploymentSecrets(deps.store.deployment, config.dataDir, deps.logger);
  const ctx: AppContext = {
    config,
    store: deps.store,
    blobs: deps.blobs ?? new LocalBlobStore(config.dataDir),
    verifier: deps.verifier,
    issuer: deps.issuer,
    runQueued: deps.runQueued,
    checkpointMaker: deps.checkpointMaker,
    modelExporter: deps.modelExporter,
    signer: UploadSigner.withSecret(secrets.uploadUrls, config.uploadUrlTtlSeconds),
    consentTickets: ConsentTickets.fromSecret(secrets.consentTickets),
    signInForms: SignInForms.fromSecret(secrets.signInForms),
    passwords: deps.passwords ?? new Passwords(),
    now: deps.now ?? Date.now,
  };
  registerRouteRegistry(app);
  registerErrorHandling(app, config.bodyLimit);
  registerRequestLog(app);
  const metrics = config.metrics.enabled ? (deps.metrics ?? createMetrics(deps.store)) : undefined;
  if (metrics) registerRequestMetrics(app, metrics);
  registerClientTimeouts(app, config.timeouts); // before authentication: its preParsing wraps the body first
  registerJsonBodyParser(app);
  refuseFormBodies(app); // only the token endpoint and the consent form read forms, each in its own scope
  await registerOpenApi(app, config);
  await registerCors(app, config.corsOrigins);
  registerShutdownAnswer(app); // after CORS: a browser can read the 503
  registerAuthentication(app, deps.verifier);
  const sightings = new UserSightings(deps.store);
  const findProfile = profileFinder(config.auth, deps.logger, deps.now);
  // After the scope check: the address a verified caller comes with, or else the issuer's (docs/access-control.md, Users).
  app.addHook('preHandler', async (request) => {
    const { caller } = request;
    if (caller) await sightings.sighted(caller, () => findProfile(caller, bearerToken(request.headers.authorization)));
  });
  await registerRateLimit(app, config.rateLimit, deps.redis);
  registerAcceptCheck(app);
  registerNulCheck(app);

  // The order that matters ends here: the plugins above come before every route, because hooks,
  // parsers and onRoute listeners (OpenAPI, rate limit, route registry) apply only to routes added
  // after them. The route groups below do not depend on each other's order.
  itwinRoutes(app, ctx);
  accessControlRoutes(app, ctx);
  usersRoutes(app, ctx);
  imodelRoutes(app, ctx);
  imodelUserRoutes(app, ctx);
  changesetRoutes(app, ctx);
  namedVersionRoutes(app, ctx);
  checkpointRoutes(app, ctx);
  modelViewRoutes(app, ctx);
  storageRoutes(app, ctx);
  storageConnectionRoutes(app, ctx);
  sourceFileRoutes(app, ctx);
  runRoutes(app, ctx);
  manifestConnectionRoutes(app, ctx);
  eventStreamRoutes(app, ctx);
  webhookRoutes(app, ctx);
  configurationRoutes(app, ctx);
  reportRoutes(app, ctx);
  changedElementsRoutes(app, ctx);
  errorArticleRoutes(app, ctx);
  healthRoutes(app, ctx, readiness({ store: deps.store, redis: deps.redis, workerRunning: deps.workerRunning, log: app.log }));
  metricsRoutes(app, config, metrics);
  if (deps.issuer) oidcRoutes(app, ctx);
  if (deps.issuer) {
    // Every API process follows the clients in the store: a removed client's tokens stop working everywhere.
    const stopWatching = deps.issuer.registry.watch(app.log);
    app.addHook('onClose', async () => stopWatching());
  }
  authorizationRoutes(app, ctx);
  webAppRoutes(app, ctx);
  await registerApiReference(app);

  await app.ready();
  return app;
}
