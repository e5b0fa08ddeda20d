import type { Checkpoints } from '../../../domain/versions/checkpoints.js';
import { getLatestCheckpoint } from '../../../domain/versions/get-latest-checkpoint.js';
import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { IModelParams } from '../../schemas/imodel.js';
import { checkpointRoute } from './checkpoint-route.js';

/** The iModels API's path for the latest checkpoint (the one its client's checkpoints.getSingle calls). */
export function getBriefcaseCheckpointRoute(app: App, ctx: AppContext, checkpoints: Checkpoints): void {
  checkpointRoute<{ iModelId: string }>(app, ctx, operations.getBriefcaseCheckpoint, {
    summary: 'Get Briefcase Checkpoint',
    description: "The checkpoint of the iModel's latest changeset (current or preceding); the baseline before any.",
    params: IModelParams,
    find: (caller, p) => getLatestCheckpoint(checkpoints, caller, p.iModelId),
  });
}
