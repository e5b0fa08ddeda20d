import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

/**
 * Fastify compiles every route's response schemas into serializers when it becomes ready: about a
 * quarter of a second of start-up for this API's routes, most of them for operations a process may
 * never serve. This compiles each one on its first use instead, with Fastify's own compiler and
 * options: the same serializer, made later. (A schema fast-json-stringify rejects would fail at that
 * route's first answer instead of at start; every route's answers are exercised by the tests.)
 */
export const lazySerializers: NonNullable<FastifyServerOptions['schemaController']> = {
  compilersFactory: {
    buildSerializer(externalSchemas: unknown, serializerOptions: unknown) {
      const compile = SerializerSelector()(externalSchemas as never, serializerOptions as never);
      return (route: Parameters<typeof compile>[0]) => {
        let serialize: ((data: unknown) => string) | undefined;
        return (data: unknown) => (serialize ??= compile(route) as (data: unknown) => string)(data);
      };
    },
  },
};
