import type { Caller } from '../../../domain/caller.js';
import type { Checkpoint } from '../../../domain/versions/checkpoints.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import type { Operation } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentCheckpoint } from '../../presenters/version.js';
import { errorResponses } from '../../schemas/common.js';
import { CheckpointResponse } from '../../schemas/version.js';

/**
 * The three ways to ask for a checkpoint differ only in what names the version: one route shape,
 * each operation file giving its summary, params and use case.
 */
export function checkpointRoute<P extends Record<string, string>>(
  app: App,
  ctx: AppContext,
  operation: Operation,
  spec: { summary: string; description: string; params: object; find: (caller: Caller, params: P) => Promise<Checkpoint> },
): void {
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: spec.summary,
      description: `${spec.description} The download link is a signed URL of this server that expires (no Authorization).`,
      tags: ['Checkpoints'],
      params: spec.params,
      response: { 200: CheckpointResponse, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request) => ({
      checkpoint: presentCheckpoint(ctx.config.publicUrl, await spec.find(callerOf(request), request.params as P)),
    }),
  });
}
