import { SvgPlay } from '@itwin/itwinui-icons-react';
import { Alert, Button, Flex, Text } from '@itwin/itwinui-react';
import { useState } from 'react';
import { all, get, V2 } from '../api/client';
import { paths } from '../api/paths';
import type { IModel, ITwin, ManifestSourceFile, Run, StorageConnection } from '../api/types';
import { DataTable } from '../components/data-table';
import { RunsSection } from '../components/runs-section';
import { crumbsTo, Page } from '../components/page';
import { Problem } from '../components/problem';
import { ManifestRunDialog } from '../dialogs/manifest-run-dialog';
import { useLive } from '../live';
import { navigate, to } from '../router';
import { runScreenOf } from '../run-address';
import { useResource } from '../use-resource';

/**
 * One manifest connection (docs/manifest-connections.md): the document system's file ids it may
 * bring in, its runs (live, from the iModel's stream), and a run started with a manifest typed in.
 * Its source files are read-only here: a document system registers them through the API.
 */
export function ManifestConnectionScreen({ iTwinId, iModelId, connectionId }: { iTwinId: string; iModelId: string; connectionId: string }) {
  const itwin = useResource(`itwin:${iTwinId}`, () => get<{ iTwin: ITwin }>(paths.itwin(iTwinId)).then((a) => a.iTwin));
  const imodel = useResource(`imodel:${iModelId}`, () => get<{ iModel: IModel }>(paths.imodel(iModelId), { accept: V2 }).then((a) => a.iModel));
  const connection = useResource(`manifest-connection:${connectionId}`, () =>
    get<{ connection: StorageConnection }>(paths.manifestConnection(connectionId)).then((a) => a.connection),
  );
  const sources = useResource(`manifest-sources:${connectionId}`, () =>
    all<ManifestSourceFile>(paths.manifestSourceFiles(connectionId), 'sourceFiles', { prefer: 'return=representation' }),
  );
  const runs = useResource(`manifest-runs:${connectionId}`, () => all<Run>(paths.manifestRuns(connectionId), 'runs', { prefer: 'return=representation' }, 1));
  const live = useLive(paths.imodelEvents(iModelId), (change) => {
    if (change === undefined || change.connectionId === connectionId) runs.reload();
  });
  const [running, setRunning] = useState(false);
  const [notice, setNotice] = useState<string>();
  const runHref = (runId: string) => to('itwins', iTwinId, 'imodels', iModelId, 'manifest-connections', connectionId, 'runs', runId);

  return (
    <Page
      crumbs={[...crumbsTo({ id: iTwinId, name: itwin.data?.displayName }, { id: iModelId, name: imodel.data?.displayName })]}
      title={connection.data ? connection.data.displayName || 'Unnamed manifest connection' : 'Manifest connection'}
      actions={
        <Button styleType="high-visibility" startIcon={<SvgPlay />} onClick={() => setRunning(true)} disabled={!sources.data?.length}>
          Run with a manifest…
        </Button>
      }
    >
      <Problem error={connection.error} />
      {notice && <Alert type="informational">{notice}</Alert>}
      <Text>
        A manifest connection synchronizes files of another document system: each run brings their download URLs. It was created through the API, and its files
        are registered there too.
      </Text>
      <Flex as="section" aria-label="Source files" flexDirection="column" alignItems="stretch" gap="s">
        <Text variant="title" as="h2">
          Source files
        </Text>
        <Problem error={sources.error} />
        <DataTable
          caption="Document system files this connection may synchronize"
          rows={sources.data}
          loading={sources.loading}
          empty="No source file registered."
          rowKey={(row) => row.id}
          columns={[{ id: 'sourceFileId', header: 'Document id', cell: (row) => row.sourceFileId }]}
        />
      </Flex>
      <RunsSection runs={runs} live={live} runHref={runHref} label="Runs" caption="Runs of this manifest connection, newest first" empty="Never run." />
      <ManifestRunDialog
        connectionId={connectionId}
        sourceFiles={sources.data ?? []}
        isOpen={running}
        onClose={() => setRunning(false)}
        onStarted={(answer) => {
          // 202: the new run's Location. 303 (followed by the browser): the iModel's active run, of either kind of connection.
          const href = runScreenOf(iTwinId, iModelId, answer.headers.get('location') ?? answer.url);
          if (answer.status !== 202) setNotice('A run of this iModel is active already: here it is.');
          if (href) navigate(href);
          else runs.reload();
        }}
      />
    </Page>
  );
}
