import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { Jwks } from '../../schemas/oidc.js';

export function jwksRoute(app: App, ctx: AppContext): void {
  app.route({
    ...fromTable(operations.jwks),
    schema: {
      operationId: operations.jwks.id,
      tags: ['Built-in issuer'],
      summary: 'Public keys of the built-in issuer',
      response: { 200: Jwks },
    },
    handler: async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=300').send({
        keys: ctx.issuer!.jwks.keys.map((k) => ({ kty: k.kty!, kid: k.kid!, alg: k.alg!, use: k.use!, crv: k.crv, x: k.x, y: k.y })),
      }),
  });
}
