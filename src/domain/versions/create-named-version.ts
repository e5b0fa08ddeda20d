import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newGuid } from '../ids.js';
import { imodelForMember } from '../imodels/access.js';
import type { Store } from '../store.js';
import type { NamedVersion } from './model.js';
import type { NewNamedVersion } from './named-version-body.js';
import { namedVersionCreated } from '../webhooks/events.js';

/**
 * Names a changeset of an iModel the caller may see: the one `changesetId` or `changesetIndex` names
 * (both: they must name the same one), or the baseline (index 0, no changeset id) when neither
 * does. An unknown changeset is 404 ChangesetNotFound; one named version per changeset, 409
 * NamedVersionOnChangesetExists (a unique index decides between concurrent creates).
 */
export async function createNamedVersion(store: Store, caller: Caller, iModelId: string, input: NewNamedVersion): Promise<NamedVersion> {
  const imodel = await imodelForMember(store, caller, iModelId, 'imodels_write');
  let changesetId: string | null = null;
  let changesetIndex = 0;
  if (input.changesetId) {
    const changeset = await store.versions.findChangeset(imodel.id, { id: input.changesetId });
    if (!changeset) throw errors.changesetNotFound();
    if (input.changesetIndex !== undefined && input.changesetIndex !== changeset.index) throw mismatch();
    ({ id: changesetId, index: changesetIndex } = changeset);
  } else if (input.changesetIndex) {
    const changeset = await store.versions.findChangeset(imodel.id, { index: input.changesetIndex });
    if (!changeset) throw errors.changesetNotFound();
    if (input.changesetId === '') throw mismatch();
    ({ id: changesetId, index: changesetIndex } = changeset);
  }
  const version: NamedVersion = {
    id: newGuid(),
    iModelId: imodel.id,
    name: input.name,
    description: input.description,
    state: 'visible',
    changesetId,
    changesetIndex,
    createdAt: nowIso(),
    creatorId: caller.subject,
  };
  await store.write(async (tx) => {
    // Ordered against a delete of the iModel, which would otherwise leave this name on nothing.
    if (!(await tx.imodels.find(imodel.id))) throw errors.iModelNotFound();
    if (!(await tx.versions.insertNamedVersion(version))) throw errors.namedVersionOnChangesetExists();
    await tx.webhooks.record(namedVersionCreated(version, version.createdAt), Date.parse(version.createdAt));
  });
  return version;
}

function mismatch() {
  return errors.invalidIModelRequest([
    { code: 'InvalidValue', message: 'changesetId and changesetIndex name different changesets.', target: 'changesetIndex' },
  ]);
}
