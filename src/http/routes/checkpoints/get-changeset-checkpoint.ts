import type { Checkpoints } from '../../../domain/versions/checkpoints.js';
import { getChangesetCheckpoint } from '../../../domain/versions/get-changeset-checkpoint.js';
import type { App, AppContext } from '../../context.js';
import { operations } from '../../operations.js';
import { ChangesetParams } from '../../schemas/version.js';
import { checkpointRoute } from './checkpoint-route.js';

export function getChangesetCheckpointRoute(app: App, ctx: AppContext, checkpoints: Checkpoints): void {
  checkpointRoute<{ iModelId: string; changeset: string }>(app, ctx, operations.getChangesetCheckpoint, {
    summary: 'Get Changeset Checkpoint',
    description: 'The checkpoint of the changeset, or of the nearest preceding one that has a file (the baseline at worst).',
    params: ChangesetParams,
    find: (caller, p) => getChangesetCheckpoint(checkpoints, caller, p.iModelId, p.changeset),
  });
}
