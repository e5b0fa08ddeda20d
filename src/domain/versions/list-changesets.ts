import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { imodelForMember } from '../imodels/access.js';
import { parsePage, toPaged, type Keyset, type Paged } from '../paging.js';
import type { Store } from '../store.js';
import type { ChangesetFilter } from './repository.js';
import type { Changeset, NamedVersion } from './model.js';
import { parseOrderBy, wholeNumber } from './query.js';

export interface ChangesetList extends Paged<Changeset> {
  iModelId: string;
  /** The query as the page's links repeat it. */
  filter: { afterIndex?: string; lastIndex?: string; $orderBy?: string };
  /** Named versions on the page's changesets, by changeset index (only when asked for). */
  namedVersions: Map<number, NamedVersion>;
}

/**
 * An iModel's changesets by index, ascending unless `$orderBy=index desc`, optionally only those
 * after `afterIndex` and up to `lastIndex`. `withNamedVersions`: the representation links each
 * changeset's named version, read for the whole page at once. `only`: a narrower list (the model
 * view's versions with a checkpoint, docs/model-view.md).
 */
export async function listChangesets(
  store: Store,
  caller: Caller,
  iModelId: string,
  query: Record<string, unknown>,
  withNamedVersions: boolean,
  only: Pick<ChangesetFilter, 'withCheckpoint'> = {},
): Promise<ChangesetList> {
  const details: ErrorDetail[] = [];
  const afterIndex = wholeNumber(query, 'afterIndex', details);
  const lastIndex = wholeNumber(query, 'lastIndex', details);
  const order = parseOrderBy(query, ['index'], details)?.direction;
  const keyset = byIndex(order ?? 'asc');
  const page = parsePage(query, details, keyset);
  if (details.length > 0) throw errors.invalidIModelRequest(details);
  const imodel = await imodelForMember(store, caller, iModelId);
  const rows = await store.versions.listChangesets(imodel.id, { afterIndex, lastIndex, ...only, order: order ?? 'asc' }, page);
  const paged = toPaged(rows, page, keyset);
  const namedVersions = new Map<number, NamedVersion>();
  if (withNamedVersions) {
    const named = await store.versions.namedVersionsAt(
      imodel.id,
      paged.items.map((c) => c.index),
    );
    for (const v of named) namedVersions.set(v.changesetIndex, v);
  }
  return {
    ...paged,
    iModelId: imodel.id,
    filter: {
      afterIndex: afterIndex?.toString(),
      lastIndex: lastIndex?.toString(),
      $orderBy: order && `index ${order}`,
    },
    namedVersions,
  };
}

/** Changesets are ordered by index alone; a token of one direction is refused by the other. */
function byIndex(order: 'asc' | 'desc'): Keyset<Changeset> {
  return { name: `changesets-${order}`, shape: ['number'], keyOf: (c) => [c.index] };
}
