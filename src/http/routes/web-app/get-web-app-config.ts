import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { WebAppSettings } from '../../schemas/web-app.js';
import { webAppSettings } from './web-app-settings.js';

export function getWebAppConfigRoute(app: App, ctx: AppContext): void {
  const operation = operations.getWebAppConfig;
  const settings = webAppSettings(ctx.config);
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      tags: ['Web application'],
      summary: 'Settings of the web application',
      description:
        "twinsync's own: where the page at /app/ signs people in (an OpenID provider's authority, a public client, scopes, the redirect URI). No token: the page reads it before anyone has signed in.",
      response: { 200: WebAppSettings },
    },
    // Read at every load of the page, so that a changed setting shows at the next reload.
    handler: async (_request, reply) => reply.header('cache-control', 'no-cache').send(settings),
  });
}
