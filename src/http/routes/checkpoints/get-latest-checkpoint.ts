import type { Checkpoints } from '../../../domain/versions/checkpoints.js';
import { getLatestCheckpoint } from '../../../domain/versions/get-latest-checkpoint.js';
import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { IModelParams } from '../../schemas/imodel.js';
import { checkpointRoute } from './checkpoint-route.js';

/** twinsync's shorter path for what get-briefcase-checkpoint answers. */
export function getLatestCheckpointRoute(app: App, ctx: AppContext, checkpoints: Checkpoints): void {
  checkpointRoute<{ iModelId: string }>(app, ctx, operations.getLatestCheckpoint, {
    summary: 'Get latest Checkpoint',
    description: 'twinsync only: the same answer as Get Briefcase Checkpoint.',
    params: IModelParams,
    find: (caller, p) => getLatestCheckpoint(checkpoints, caller, p.iModelId),
  });
}
