import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';

export function jwksRoute(app: App, ctx: AppContext): void {
  app.route({
    ...fromTable(operations.jwks),
    schema: { operationId: operations.jwks.id, tags: ['Built-in issuer'], summary: 'Public keys of the built-in issuer' },
    handler: async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(ctx.issuer!.jwks),
  });
}
