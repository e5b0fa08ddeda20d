import { parseNamedVersionChange } from '../../../domain/versions/named-version-body.js';
import { updateNamedVersion } from '../../../domain/versions/update-named-version.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentNamedVersion } from '../../presenters/version.js';
import { errorResponses } from '../../schemas/common.js';
import { NamedVersionParams, NamedVersionResponse, NamedVersionUpdate } from '../../schemas/version.js';
import { domainChecksBody } from '../../validation.js';

export function updateNamedVersionRoute(app: App, ctx: AppContext): void {
  const operation = operations.updateNamedVersion;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Update iModel Named Version',
      description: 'Renames, describes, hides or shows a named version; absent properties stay as they are.',
      tags: ['Named Versions'],
      params: NamedVersionParams,
      body: NamedVersionUpdate,
      response: { 200: NamedVersionResponse, ...errorResponses(401, 403, 404, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request) => {
      const change = parseNamedVersionChange(request.body);
      const version = await updateNamedVersion(ctx.store, callerOf(request), request.params.iModelId, request.params.namedVersionId, change);
      return { namedVersion: presentNamedVersion(ctx.config.publicUrl, version) };
    },
  });
}
