import { createNamedVersion } from '../../../domain/versions/create-named-version.js';
import { parseNewNamedVersion } from '../../../domain/versions/named-version-body.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { namedVersionUrl, presentNamedVersion } from '../../presenters/version.js';
import { errorResponses } from '../../schemas/common.js';
import { IModelParams } from '../../schemas/imodel.js';
import { NamedVersionCreate, NamedVersionResponse } from '../../schemas/version.js';
import { domainChecksBody } from '../../validation.js';

export function createNamedVersionRoute(app: App, ctx: AppContext): void {
  const operation = operations.createNamedVersion;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Create iModel Named Version',
      description: 'Names a changeset (by id or index), or the baseline when neither is given. One named version per changeset.',
      tags: ['Named Versions'],
      params: IModelParams,
      body: NamedVersionCreate,
      response: { 201: NamedVersionResponse, ...errorResponses(401, 403, 404, 406, 409, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const version = await createNamedVersion(ctx.store, callerOf(request), request.params.iModelId, parseNewNamedVersion(request.body));
      return reply
        .status(201)
        .header('location', namedVersionUrl(ctx.config.publicUrl, version.iModelId, version.id))
        .send({ namedVersion: presentNamedVersion(ctx.config.publicUrl, version) });
    },
  });
}
