import { createRepository } from '../../../domain/itwins/repositories/create-repository.js';
import { parseNewRepository } from '../../../domain/itwins/repositories/repository-body.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentRepository } from '../../presenters/itwin-repository.js';
import { errorResponses } from '../../schemas/common.js';
import { ITwinParams, RepositoryCreate, RepositoryResponse } from '../../schemas/itwin.js';
import { domainChecksBody } from '../../validation.js';

export function createRepositoryRoute(app: App, ctx: AppContext): void {
  const operation = operations.createRepository;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Create repository',
      description: 'Registers a data source of the iTwin (GIS services, construction, subsurface) by class, subClass and uri.',
      tags: ['iTwins'],
      params: ITwinParams,
      body: RepositoryCreate,
      response: { 201: RepositoryResponse, ...errorResponses(401, 403, 404, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const input = parseNewRepository(request.body);
      const repository = await createRepository(ctx.store, callerOf(request), request.params.iTwinId, input);
      return reply.status(201).send({ repository: presentRepository(repository) });
    },
  });
}
