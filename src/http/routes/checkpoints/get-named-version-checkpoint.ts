import type { Checkpoints } from '../../../domain/versions/checkpoints.js';
import { getNamedVersionCheckpoint } from '../../../domain/versions/get-named-version-checkpoint.js';
import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { NamedVersionParams } from '../../schemas/version.js';
import { checkpointRoute } from './checkpoint-route.js';

export function getNamedVersionCheckpointRoute(app: App, ctx: AppContext, checkpoints: Checkpoints): void {
  checkpointRoute<{ iModelId: string; namedVersionId: string }>(app, ctx, operations.getNamedVersionCheckpoint, {
    summary: 'Get Named Version Checkpoint',
    description: "The checkpoint of the named version's changeset (current or preceding).",
    params: NamedVersionParams,
    find: (caller, p) => getNamedVersionCheckpoint(checkpoints, caller, p.iModelId, p.namedVersionId),
  });
}
