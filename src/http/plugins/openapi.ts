import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { operations, type Operation } from '../operations.js';

/**
 * The OpenAPI 3.1 document is generated from the route schemas (registered before the routes, so
 * it sees them all). Only operations of the table are documented; authenticated ones carry the
 * bearer requirement with their scopes.
 */
export async function registerOpenApi(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'twinsync — iTwin Synchronization API',
        version: '1.0.0',
        description: 'Self-hosted implementation of the iTwin Synchronization API and the platform calls its clients make.',
      },
      servers: [{ url: config.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: ({ schema, url, route }) => {
      const operation = route.config?.operation as Operation | undefined;
      if (!operation) return { schema: { ...schema, hide: true }, url };
      const documented = { ...schema } as Record<string, unknown>;
      if (operation.scopes) documented.security = [{ bearer: [...operation.scopes] }];
      return { schema: documented, url };
    },
  });
}

/**
 * `/openapi.json`, and the reference page at `/docs`, served from the package (no CDN, no fonts, no
 * AI agent). The page's plugin is loaded at the first request for it, not at start: importing it
 * and reading its 3.5 MB script took a tenth of every start, for a page few processes ever serve.
 * It runs in a small Fastify instance of its own, which `/docs` and everything under it are handed
 * to; what it does not serve is this app's 404, in the API's error shape.
 */
export async function registerApiReference(app: FastifyInstance): Promise<void> {
  app.get(operations.openapiDocument.url, { config: { operation: operations.openapiDocument }, schema: { hide: true } }, async () => app.swagger());
  let page: Promise<FastifyInstance> | undefined;
  const referencePage = async (): Promise<FastifyInstance> => {
    const { default: scalar } = await import('@scalar/fastify-api-reference');
    const inner = Fastify({ logger: false, routerOptions: { caseSensitive: false, ignoreTrailingSlash: true } });
    await inner.register(scalar, {
      routePrefix: '/docs',
      configuration: {
        title: 'twinsync API reference',
        withDefaultFonts: false,
        agent: { disabled: true },
        telemetry: false,
        content: () => app.swagger(),
      } as never,
    });
    await inner.ready();
    return inner;
  };
  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    page ??= referencePage();
    // A failed load is not kept: the next request tries again.
    const inner = await page.catch((error: unknown) => {
      page = undefined;
      throw error;
    });
    const answer = await inner.inject({ method: 'GET', url: request.url, headers: { host: request.headers.host ?? 'localhost' } });
    if (answer.statusCode === 404) return reply.callNotFound();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) reply.header(name, value);
    }
    return reply.code(answer.statusCode).send(answer.rawPayload);
  };
  app.get('/docs', { schema: { hide: true } }, serve);
  app.get('/docs/*', { schema: { hide: true } }, serve);
}

/** Headers of the inner answer that describe its own connection or length, not the content. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);
