import type { TSchema } from 'typebox';
import { createConfiguration } from '../../../domain/configurations/create-configuration.js';
import { deleteConfiguration } from '../../../domain/configurations/delete-configuration.js';
import { getConfiguration } from '../../../domain/configurations/get-configuration.js';
import type { Level } from '../../../domain/configurations/model.js';
import { updateConfiguration } from '../../../domain/configurations/update-configuration.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import type { Operation } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentConfiguration } from '../../presenters/configuration.js';
import { noContent } from '../../presenters/no-content.js';
import { errorResponses } from '../../schemas/common.js';
import { domainChecksBody } from '../../validation.js';

/** What differs between the levels: the path parameter, the schemas, the words. */
export interface LevelSpec {
  level: Level;
  /** 'iTwin', 'iModel' or 'Connection', as Bentley's operation names say it. */
  name: string;
  param: 'iTwinId' | 'iModelId' | 'connectionId';
  params: TSchema;
  response: TSchema;
}

/**
 * The four operations of one level are the same at every level but for what LevelSpec holds: one
 * route shape per operation, each operation file giving its level. Visibility is the scope's (404
 * unknown, 403 not a member of its iTwin), a malformed id a 422.
 */
export function createConfigurationRoute(app: App, ctx: AppContext, operation: Operation, spec: LevelSpec, body: TSchema): void {
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: `Create ${spec.name} Configuration`,
      description: `Creates the configuration of the ${spec.name}: flags that define how connectors process its data. One per ${spec.name} (409 if it has one).`,
      tags: ['Configurations'],
      params: spec.params,
      body,
      response: { 201: { ...spec.response, description: 'Created.' }, ...errorResponses(401, 403, 404, 406, 409, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const id = (request.params as Record<string, string>)[spec.param]!;
      const configuration = await createConfiguration(ctx.store, callerOf(request), spec.level, id, request.body as unknown);
      return reply
        .status(201)
        .header('location', `${ctx.config.publicUrl}${operation.url.replace(`:${spec.param}`, encodeURIComponent(configuration.scopeId))}`)
        .send(presentConfiguration(configuration));
    },
  });
}

export function getConfigurationRoute(app: App, ctx: AppContext, operation: Operation, spec: LevelSpec): void {
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: `Get ${spec.name} Configuration`,
      description: `The configuration of the ${spec.name}, with the settings it resolves to.`,
      tags: ['Configurations'],
      params: spec.params,
      response: { 200: spec.response, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const id = (request.params as Record<string, string>)[spec.param]!;
      return presentConfiguration(await getConfiguration(ctx.store, callerOf(request), spec.level, id));
    },
  });
}

export function patchConfigurationRoute(app: App, ctx: AppContext, operation: Operation, spec: LevelSpec, body: TSchema): void {
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: `Patch ${spec.name} Configuration`,
      description: 'Merges the flags sent into the stored ones: a flag sent as null is removed, flags not sent stay as they are.',
      tags: ['Configurations'],
      params: spec.params,
      body,
      response: { 200: spec.response, ...errorResponses(401, 403, 404, 406, 409, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request) => {
      const id = (request.params as Record<string, string>)[spec.param]!;
      return presentConfiguration(await updateConfiguration(ctx.store, callerOf(request), spec.level, id, request.body as unknown));
    },
  });
}

export function deleteConfigurationRoute(app: App, ctx: AppContext, operation: Operation, spec: LevelSpec): void {
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: `Delete ${spec.name} Configuration`,
      description: 'Deletes the configuration: its flags then resolve from the wider scopes and the defaults.',
      tags: ['Configurations'],
      params: spec.params,
      response: { 204: { type: 'null', description: 'Deleted. No body and no Content-Type.' }, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request, reply) => {
      const id = (request.params as Record<string, string>)[spec.param]!;
      await deleteConfiguration(ctx.store, callerOf(request), spec.level, id);
      return noContent(reply);
    },
  });
}
