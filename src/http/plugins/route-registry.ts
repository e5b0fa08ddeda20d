import type { FastifyInstance } from 'fastify';
import type { Operation } from '../operations.js';

export interface RegisteredRoute {
  method: string;
  url: string;
  operation?: Operation;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the app registered, so tests can hold it against the OpenAPI document. */
    registeredRoutes: RegisteredRoute[];
  }
}

export function registerRouteRegistry(app: FastifyInstance): void {
  const routes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      routes.push({ method, url: route.url, operation: route.config?.operation });
    }
  });
}
