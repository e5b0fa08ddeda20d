import swagger from '@fastify/swagger';
import scalar from '@scalar/fastify-api-reference';
import type { FastifyInstance } from 'fastify';
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

/** `/openapi.json` and the reference page at `/docs`, served from the package (no CDN, no fonts, no AI agent). */
export async function registerApiReference(app: FastifyInstance): Promise<void> {
  app.get(operations.openapiDocument.url, { config: { operation: operations.openapiDocument }, schema: { hide: true } }, async () => app.swagger());
  await app.register(scalar, {
    routePrefix: '/docs',
    configuration: {
      title: 'twinsync API reference',
      withDefaultFonts: false,
      agent: { disabled: true },
      telemetry: false,
    } as never,
  });
}
