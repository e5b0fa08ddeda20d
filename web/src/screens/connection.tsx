import { SvgAdd, SvgDelete, SvgPlay } from '@itwin/itwinui-icons-react';
import { Alert, Button, Flex, IconButton, Text } from '@itwin/itwinui-react';
import { useState } from 'react';
import { all, get, post, remove, V2 } from '../api/client';
import { paths } from '../api/paths';
import type { IModel, ITwin, Run, SourceFile, StorageConnection } from '../api/types';
import { webAppSettings } from '../auth/settings';
import { DataTable } from '../components/data-table';
import { RunsSection } from '../components/runs-section';
import { crumbsTo, Page } from '../components/page';
import { describeError, Problem } from '../components/problem';
import { AddSourceFileDialog } from '../dialogs/add-source-file-dialog';
import { useLive } from '../live';
import { navigate, to } from '../router';
import { runScreenOf } from '../run-address';
import { useResource } from '../use-resource';
import { CONSENT_RETURN_KEY } from './callback';

/** One storage connection: its source files, its runs (live), and running it. */
export function ConnectionScreen({ iTwinId, iModelId, connectionId }: { iTwinId: string; iModelId: string; connectionId: string }) {
  const itwin = useResource(`itwin:${iTwinId}`, () => get<{ iTwin: ITwin }>(paths.itwin(iTwinId)).then((a) => a.iTwin));
  const imodel = useResource(`imodel:${iModelId}`, () => get<{ iModel: IModel }>(paths.imodel(iModelId), { accept: V2 }).then((a) => a.iModel));
  const connection = useResource(`connection:${connectionId}`, () =>
    get<{ connection: StorageConnection }>(paths.connection(connectionId)).then((a) => a.connection),
  );
  const sources = useResource(`sources:${connectionId}`, () =>
    all<SourceFile>(paths.sourceFiles(connectionId), 'sourceFiles', { prefer: 'return=representation' }),
  );
  const runs = useResource(`runs:${connectionId}`, () => all<Run>(paths.runs(connectionId), 'runs', { prefer: 'return=representation' }, 1));
  // The iModel's stream tells the runs of every connection of it; this screen reads again when one of its own changes.
  const live = useLive(paths.imodelEvents(iModelId), (change) => {
    if (change === undefined || change.connectionId === connectionId) runs.reload();
  });
  const [adding, setAdding] = useState(false);
  const [starting, setStarting] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const runHref = (runId: string) => to('itwins', iTwinId, 'imodels', iModelId, 'connections', connectionId, 'runs', runId);

  const start = async () => {
    setStarting(true);
    setProblem(undefined);
    try {
      const answer = await post(paths.run(connectionId));
      // 202: the new run's Location. 303 (followed by the browser): a run of this iModel is active already.
      const location = answer.headers.get('location') ?? answer.url;
      if (answer.status !== 202) setNotice('A run of this iModel is active already: here it is.');
      // The active run may be a manifest connection's (runScreenOf reads the kind from the URL).
      navigate(runScreenOf(iTwinId, iModelId, location) ?? runHref(location.split('/').pop()!));
    } catch (error) {
      setProblem(error);
      setStarting(false);
    }
  };

  const unmap = async (source: SourceFile) => {
    if (!window.confirm(`Remove ${source.lastKnownFileName} from this connection? The next run removes what it brought into the iModel.`)) return;
    try {
      await remove(paths.sourceFile(connectionId, source.id));
      sources.reload();
    } catch (error) {
      setProblem(error);
    }
  };

  return (
    <Page
      crumbs={[...crumbsTo({ id: iTwinId, name: itwin.data?.displayName }, { id: iModelId, name: imodel.data?.displayName })]}
      title={connection.data ? connection.data.displayName || 'Unnamed connection' : 'Connection'}
      actions={
        <Button styleType="high-visibility" startIcon={<SvgPlay />} onClick={() => void start()} loading={starting} disabled={starting}>
          Run now
        </Button>
      }
    >
      <Problem error={connection.error ?? problem} />
      {notice && <Alert type="informational">{notice}</Alert>}
      {connection.data?.authenticationType === 'User' && <ConsentBanner />}
      <Flex flexDirection="column" alignItems="stretch" gap="s">
        <Flex justifyContent="space-between" alignItems="center">
          <Text variant="title" as="h2">
            Source files
          </Text>
          <Button startIcon={<SvgAdd />} onClick={() => setAdding(true)}>
            Add source file
          </Button>
        </Flex>
        <Problem error={sources.error} />
        <DataTable
          caption="Files this connection synchronizes"
          rows={sources.data}
          loading={sources.loading}
          empty="No source file: add one, or the next run removes everything this connection brought in."
          rowKey={(row) => row.id}
          columns={[
            { id: 'lastKnownFileName', header: 'File', cell: (row) => row.lastKnownFileName },
            { id: 'connectorType', header: 'Connector type', cell: (row) => row.connectorType ?? '—', width: 180 },
            {
              id: 'remove',
              header: 'Remove',
              cell: (row) => (
                <IconButton styleType="borderless" label={`Remove ${row.lastKnownFileName}`} onClick={() => void unmap(row)}>
                  <SvgDelete />
                </IconButton>
              ),
              width: 100,
            },
          ]}
        />
      </Flex>
      <RunsSection
        runs={runs}
        live={live}
        runHref={runHref}
        caption="Runs of this connection, newest first"
        empty="Never run: Run now synchronizes the source files into the iModel."
      />
      <AddSourceFileDialog
        iTwinId={iTwinId}
        connectionId={connectionId}
        mapped={(sources.data ?? []).map((s) => s.storageFileId)}
        isOpen={adding}
        onClose={() => setAdding(false)}
        onAdded={() => sources.reload()}
      />
    </Page>
  );
}

/**
 * A User connection runs on behalf of whoever asks for a run: they consent once, on the service's
 * consent page, which returns to the page's callback (a redirect URL the service accepts for this client).
 */
function ConsentBanner() {
  const consent = useResource('consent', async () => {
    const settings = await webAppSettings();
    return get<{ authorizationInformation: { isUserAuthorized: boolean; _links: { authorizationUrl: { href: string } } } }>(
      paths.authorizationInformation(settings.redirectUri),
    ).then((a) => a.authorizationInformation);
  });
  if (consent.error) {
    return <Alert type="warning">Whether you consented to User runs is unknown: {describeError(consent.error)}</Alert>;
  }
  if (!consent.data || consent.data.isUserAuthorized) return null;
  return (
    <Alert type="warning">
      Runs of this connection act on your behalf, and you have not consented yet: they end with UserNotAuthenticated.{' '}
      <Alert.Action
        href={consent.data._links.authorizationUrl.href}
        onClick={() => sessionStorage.setItem(CONSENT_RETURN_KEY, `${window.location.pathname}${window.location.search}`)}
      >
        Give consent
      </Alert.Action>
    </Alert>
  );
}
