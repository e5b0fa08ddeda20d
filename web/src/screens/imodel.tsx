import { SvgAdd } from '@itwin/itwinui-icons-react';
import { Button, Flex, Tabs, Text } from '@itwin/itwinui-react';
import { useState } from 'react';
import { all, get, V2 } from '../api/client';
import { paths } from '../api/paths';
import type { Changeset, IModel, ITwin, NamedVersion, Run, StorageConnection } from '../api/types';
import { DataTable } from '../components/data-table';
import { LiveIndicator } from '../components/live-indicator';
import { crumbsTo, Page } from '../components/page';
import { Problem } from '../components/problem';
import { RunBadge } from '../components/state-badge';
import { When } from '../components/time';
import { NamedVersionDialog } from '../dialogs/named-version-dialog';
import { NewConnectionDialog } from '../dialogs/new-connection-dialog';
import { useLive } from '../live';
import { Link, navigate, to } from '../router';
import { type ConnectionKind, connectionSegment } from '../run-address';
import { useResource } from '../use-resource';
import { ModelView, type VersionRef } from '../viewer/model-view';

const TABS = ['connections', 'versions', 'view'] as const;

/** One iModel: the connections that synchronize into it (live), its versions, and the place of its 3D view. */
export function IModelScreen({ iTwinId, iModelId, tab, search }: { iTwinId: string; iModelId: string; tab?: string; search: URLSearchParams }) {
  const itwin = useResource(`itwin:${iTwinId}`, () => get<{ iTwin: ITwin }>(paths.itwin(iTwinId)).then((a) => a.iTwin));
  const imodel = useResource(`imodel:${iModelId}`, () => get<{ iModel: IModel }>(paths.imodel(iModelId), { accept: V2 }).then((a) => a.iModel));
  const current = TABS.includes(tab as (typeof TABS)[number]) ? (tab as string) : 'connections';
  return (
    <Page crumbs={[...crumbsTo({ id: iTwinId, name: itwin.data?.displayName })]} title={imodel.data?.displayName ?? 'iModel'}>
      <Problem error={imodel.error} />
      <Tabs.Wrapper value={current} onValueChange={(value) => navigate(to('itwins', iTwinId, 'imodels', iModelId, value))}>
        <Tabs.TabList>
          <Tabs.Tab value="connections" label="Connections" />
          <Tabs.Tab value="versions" label="Versions" />
          <Tabs.Tab value="view" label="3D view" />
        </Tabs.TabList>
        <Tabs.Panel value="connections">{current === 'connections' && <ConnectionsPanel iTwinId={iTwinId} iModelId={iModelId} />}</Tabs.Panel>
        <Tabs.Panel value="versions">{current === 'versions' && <VersionsPanel iTwinId={iTwinId} iModelId={iModelId} />}</Tabs.Panel>
        <Tabs.Panel value="view">{current === 'view' && <ModelView iTwinId={iTwinId} iModelId={iModelId} version={versionFrom(search)} />}</Tabs.Panel>
      </Tabs.Wrapper>
    </Page>
  );
}

function versionFrom(search: URLSearchParams): VersionRef | undefined {
  const index = search.get('changeset');
  if (index === null || !/^\d+$/.test(index)) return undefined;
  const name = search.get('name');
  return { changesetIndex: Number(index), namedVersionId: search.get('namedVersion') ?? undefined, label: name ? `“${name}”` : `version ${index}` };
}

interface ConnectionRow extends StorageConnection {
  lastRun?: Run;
}

/** A list of connections with each one's last run (its `_links.lastRun`), read at once. */
async function withLastRuns(path: string): Promise<ConnectionRow[]> {
  const list = await all<StorageConnection>(path, 'connections', { prefer: 'return=representation' });
  return Promise.all(
    list.map(async (connection): Promise<ConnectionRow> => {
      const href = connection._links?.lastRun?.href;
      if (!href) return connection;
      const lastRun = await get<{ run: Run }>(href).then(
        (a) => a.run,
        () => undefined,
      );
      return { ...connection, lastRun };
    }),
  );
}

function ConnectionsPanel({ iTwinId, iModelId }: { iTwinId: string; iModelId: string }) {
  const connections = useResource(`connections:${iModelId}`, () => withLastRuns(paths.connections(iModelId)));
  const manifests = useResource(`manifest-connections:${iModelId}`, () => withLastRuns(paths.manifestConnections(iModelId)));
  // Any run of the iModel changing state shows in its connection's row, whichever connection (and kind) it is.
  const live = useLive(paths.imodelEvents(iModelId), (change) => {
    if (change !== undefined) return;
    connections.reload();
    manifests.reload();
  });
  const [creating, setCreating] = useState(false);
  return (
    <Flex flexDirection="column" alignItems="stretch" gap="m">
      <Flex justifyContent="space-between" alignItems="center">
        <LiveIndicator mode={live} />
        <Button styleType="high-visibility" startIcon={<SvgAdd />} onClick={() => setCreating(true)}>
          New connection
        </Button>
      </Flex>
      <Problem error={connections.error} />
      <ConnectionsTable
        iTwinId={iTwinId}
        iModelId={iModelId}
        kind="storage"
        caption="Connections that synchronize files into this iModel"
        rows={connections.data}
        loading={connections.loading}
        empty="No connection yet: create one to synchronize files into this iModel."
      />
      <Problem error={manifests.error} />
      {/* Shown once there is one: most iModels have none, and they are created through the API. */}
      {manifests.data && manifests.data.length > 0 && (
        <Flex as="section" aria-labelledby="ts-manifest-connections" flexDirection="column" alignItems="stretch" gap="xs">
          <Text variant="subheading" as="h2" id="ts-manifest-connections">
            Manifest connections
          </Text>
          <ConnectionsTable
            iTwinId={iTwinId}
            iModelId={iModelId}
            kind="manifest"
            caption="Manifest connections: files of another document system"
            rows={manifests.data}
            loading={manifests.loading}
            empty=""
          />
          <Text isMuted>Manifest connections are created by API (a document system registers its files and sends their URLs with each run).</Text>
        </Flex>
      )}
      <NewConnectionDialog
        iTwinId={iTwinId}
        iModelId={iModelId}
        isOpen={creating}
        onClose={() => setCreating(false)}
        onCreated={(connection) => navigate(to('itwins', iTwinId, 'imodels', iModelId, 'connections', connection.id))}
      />
    </Flex>
  );
}

function ConnectionsTable({
  iTwinId,
  iModelId,
  kind,
  caption,
  rows,
  loading,
  empty,
}: {
  iTwinId: string;
  iModelId: string;
  kind: ConnectionKind;
  caption: string;
  rows: ConnectionRow[] | undefined;
  loading: boolean;
  empty: string;
}) {
  const href = (...rest: string[]) => to('itwins', iTwinId, 'imodels', iModelId, connectionSegment(kind), ...rest);
  return (
    <DataTable
      caption={caption}
      rows={rows}
      loading={loading}
      empty={empty}
      rowKey={(row) => row.id}
      columns={[
        {
          id: 'displayName',
          header: 'Name',
          cell: (row) => <Link href={href(row.id)}>{row.displayName || (kind === 'manifest' ? 'Unnamed manifest connection' : 'Unnamed connection')}</Link>,
        },
        { id: 'authenticationType', header: 'Runs as', cell: (row) => row.authenticationType ?? '—', width: 120 },
        {
          id: 'lastRun',
          header: 'Last run',
          cell: (row) =>
            row.lastRun ? (
              <Flex gap="xs">
                <RunBadge state={row.lastRun.state} result={row.lastRun.result} />
                <Link href={href(row.id, 'runs', row.lastRun.id)}>
                  <When value={row.lastRun.startDateTime} />
                </Link>
              </Flex>
            ) : (
              <Text isMuted>Never run</Text>
            ),
          width: 360,
        },
      ]}
    />
  );
}

function VersionsPanel({ iTwinId, iModelId }: { iTwinId: string; iModelId: string }) {
  const versions = useResource(`versions:${iModelId}`, async () => {
    const [changesets, named] = await Promise.all([
      all<Changeset>(paths.changesets(iModelId), 'changesets', { accept: V2, prefer: 'return=representation' }),
      all<NamedVersion>(paths.namedVersions(iModelId), 'namedVersions', { accept: V2, prefer: 'return=representation' }),
    ]);
    return { changesets, named };
  });
  const [naming, setNaming] = useState<Changeset>();
  const view = (index: number, named?: NamedVersion) => {
    const query = new URLSearchParams({ changeset: String(index), ...(named ? { namedVersion: named.id, name: named.displayName } : {}) });
    return `${to('itwins', iTwinId, 'imodels', iModelId, 'view')}?${query}`;
  };
  const namedByIndex = new Map((versions.data?.named ?? []).map((v) => [v.changesetIndex, v]));
  return (
    <Flex flexDirection="column" alignItems="stretch" gap="l">
      <Problem error={versions.error} />
      <DataTable
        caption="Named versions"
        rows={versions.data?.named}
        loading={versions.loading}
        empty="No named version yet: name a changeset below."
        rowKey={(row) => row.id}
        columns={[
          { id: 'displayName', header: 'Name', cell: (row) => row.displayName },
          { id: 'changesetIndex', header: 'Changeset', cell: (row) => (row.changesetIndex === 0 ? 'Baseline' : String(row.changesetIndex)), width: 120 },
          { id: 'description', header: 'Description', cell: (row) => row.description ?? '' },
          { id: 'createdDateTime', header: 'Created', cell: (row) => <When value={row.createdDateTime} />, width: 220 },
          { id: 'view', header: '3D', cell: (row) => <Link href={view(row.changesetIndex, row)}>View in 3D</Link>, width: 120 },
        ]}
      />
      <DataTable
        caption="Changesets, newest first"
        rows={versions.data?.changesets}
        loading={versions.loading}
        empty="No changeset yet: each successful task of a run adds one."
        rowKey={(row) => row.id}
        columns={[
          { id: 'index', header: '#', cell: (row) => String(row.index), width: 70 },
          { id: 'description', header: 'What changed', cell: (row) => row.description },
          { id: 'pushDateTime', header: 'When', cell: (row) => <When value={row.pushDateTime} />, width: 220 },
          {
            id: 'named',
            header: 'Named version',
            cell: (row) => {
              const named = namedByIndex.get(row.index);
              return named ? (
                named.displayName
              ) : (
                <Button size="small" onClick={() => setNaming(row)}>
                  Name this version…
                </Button>
              );
            },
            width: 200,
          },
          { id: 'view', header: '3D', cell: (row) => <Link href={view(row.index)}>View in 3D</Link>, width: 120 },
        ]}
      />
      <NamedVersionDialog iModelId={iModelId} changeset={naming} onClose={() => setNaming(undefined)} onCreated={() => versions.reload()} />
    </Flex>
  );
}
