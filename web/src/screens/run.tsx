import { Anchor, Flex, Surface, Text } from '@itwin/itwinui-react';
import { useEffect, useState } from 'react';
import { all, get, V2 } from '../api/client';
import { paths } from '../api/paths';
import type { IModel, ITwin, Job, Run, SourceFile, StateChange, StorageConnection, Task } from '../api/types';
import { DataTable } from '../components/data-table';
import { LiveIndicator } from '../components/live-indicator';
import { crumbsTo, Page } from '../components/page';
import { Problem } from '../components/problem';
import { RunBadge, StateBadge, words } from '../components/state-badge';
import { duration, When } from '../components/time';
import { useLive } from '../live';
import { type ConnectionKind, connectionSegment } from '../run-address';
import { Link, to } from '../router';
import { useResource } from '../use-resource';
import { TaskPanel } from './task-panel';

/** A state change applied to what the screen shows, before the run is read again in full. */
function applyChange(run: Run, change: StateChange): Run {
  if (change.runId !== run.id) return run;
  if (change.kind === 'run') return { ...run, state: change.state, result: change.result };
  const jobs = (run.jobs ?? []).map((job): Job => {
    if (job.id !== change.jobId) return job;
    if (change.kind === 'job') return { ...job, state: change.state, result: change.result };
    return { ...job, tasks: job.tasks.map((task): Task => (task.id === change.taskId ? { ...task, state: change.state, result: change.result } : task)) };
  });
  return { ...run, jobs };
}

/**
 * One run: its state, its jobs and their tasks with times, retries and errors, live from the run's
 * event stream (which ends after the run's Completed); a task opens into its details and reports.
 */
export function RunScreen({
  iTwinId,
  iModelId,
  connectionId,
  runId,
  taskId,
  kind = 'storage',
}: {
  iTwinId: string;
  iModelId: string;
  connectionId: string;
  runId: string;
  taskId?: string;
  kind?: ConnectionKind;
}) {
  const manifest = kind === 'manifest';
  const itwin = useResource(`itwin:${iTwinId}`, () => get<{ iTwin: ITwin }>(paths.itwin(iTwinId)).then((a) => a.iTwin));
  const imodel = useResource(`imodel:${iModelId}`, () => get<{ iModel: IModel }>(paths.imodel(iModelId), { accept: V2 }).then((a) => a.iModel));
  const connection = useResource(`connection:${connectionId}`, () =>
    get<{ connection: StorageConnection }>(manifest ? paths.manifestConnection(connectionId) : paths.connection(connectionId)).then((a) => a.connection),
  );
  // A storage source file has a name; a manifest one is the document system's id (the name came with the run's manifest).
  const sources = useResource(`sources:${connectionId}`, async () =>
    manifest ? new Map() : new Map((await all<SourceFile>(paths.sourceFiles(connectionId), 'sourceFiles')).map((s) => [s.storageFileId, s.lastKnownFileName])),
  );
  const read = useResource(`run:${runId}`, () =>
    get<{ run: Run }>(manifest ? paths.manifestRunOf(connectionId, runId) : paths.runOf(connectionId, runId)).then((a) => a.run),
  );
  const [run, setRun] = useState<Run>();
  useEffect(() => setRun(read.data), [read.data]);
  // A storage run has a stream of its own, which ends with it; a manifest run is followed on its iModel's stream (docs/web-app.md).
  const live = useLive(
    manifest ? paths.imodelEvents(iModelId) : paths.runEvents(connectionId, runId),
    (change) => {
      if (change) setRun((current) => (current ? applyChange(current, change) : current));
      else read.reload();
    },
    { endsWhenDone: !manifest },
  );

  const fileName = (task: Task) => task.sourceFileId ?? sources.data?.get(task.storageFileId ?? '') ?? `File ${(task.storageFileId ?? '').slice(0, 8)}…`;
  const connectionHref = to('itwins', iTwinId, 'imodels', iModelId, connectionSegment(kind), connectionId);
  const taskHref = (id: string) => `${connectionHref}/runs/${encodeURIComponent(runId)}/tasks/${encodeURIComponent(id)}`;
  const tasks = (run?.jobs ?? []).flatMap((job) => job.tasks.map((task) => ({ job, task })));
  const selected = tasks.find((t) => t.task.id === taskId);

  return (
    <Page
      crumbs={[
        ...crumbsTo({ id: iTwinId, name: itwin.data?.displayName }, { id: iModelId, name: imodel.data?.displayName }),
        {
          label: connection.data ? connection.data.displayName || 'Unnamed connection' : '…',
          href: connectionHref,
        },
      ]}
      title={
        <Flex gap="s" alignItems="center">
          <span>Run</span>
          {run && <RunBadge state={run.state} result={run.result} />}
        </Flex>
      }
      actions={<LiveIndicator mode={live} />}
    >
      <Problem error={read.error} />
      {run && (
        <Surface elevation={1} className="ts-card" aria-label="The run">
          <dl className="ts-facts" data-run-state={run.state} data-run-result={run.result}>
            <dt>State</dt>
            <dd>{words(run.state)}</dd>
            <dt>Result</dt>
            <dd>{words(run.result)}</dd>
            {run.phase && (
              <>
                <dt>Phase</dt>
                <dd>{run.phase}</dd>
              </>
            )}
            <dt>Requested</dt>
            <dd>
              <When value={run.startDateTime} />
            </dd>
            <dt>Ended</dt>
            <dd>
              <When value={run.endDateTime} />
            </dd>
            <dt>Took</dt>
            <dd>{duration(run.startDateTime, run.endDateTime)}</dd>
            {run.error && (
              <>
                <dt>Error</dt>
                <dd>
                  <Text as="strong">{run.error.errorKey}</Text>: {run.error.description}{' '}
                  {run.error.kbArticleLink && (
                    <Anchor href={run.error.kbArticleLink} target="_blank" rel="noreferrer">
                      What to do
                    </Anchor>
                  )}
                </dd>
              </>
            )}
          </dl>
        </Surface>
      )}
      {run && (run.jobs ?? []).length === 0 && run.state === 'Completed' && <Text>Nothing to synchronize: no source file changed since the last run.</Text>}
      <div className={selected ? 'ts-split' : undefined}>
        <Flex flexDirection="column" alignItems="stretch" gap="l">
          {(run?.jobs ?? []).map((job) => (
            <section key={job.id} aria-label={`${job.connectorType} job`}>
              <Flex gap="s" alignItems="center" flexWrap="wrap">
                <Text variant="title" as="h2">
                  {job.connectorType} job
                </Text>
                <StateBadge value={job.state === 'Completed' ? job.result : job.state} />
                <Text isMuted>
                  {duration(job.startDateTime, job.endDateTime)} · {job.tasks.length} {job.tasks.length === 1 ? 'task' : 'tasks'}
                </Text>
              </Flex>
              <DataTable
                caption={`Tasks of the ${job.connectorType} job`}
                rows={job.tasks}
                empty="No task."
                rowKey={(row) => row.id}
                columns={[
                  {
                    id: 'file',
                    header: 'File',
                    cell: (row) => (
                      <Link href={taskHref(row.id)} aria-current={row.id === taskId ? 'true' : undefined}>
                        {fileName(row)}
                      </Link>
                    ),
                  },
                  { id: 'state', header: 'Outcome', cell: (row) => <RunBadge state={row.state} result={row.result} />, width: 150 },
                  { id: 'retryAttempts', header: 'Retries', cell: (row) => String(row.retryAttempts), width: 90 },
                  // Beside an open task, the table keeps what tells tasks apart; the times are in the task's panel.
                  ...(selected ? [] : [{ id: 'startDateTime', header: 'Started', cell: (row: Task) => <When value={row.startDateTime} />, width: 210 }]),
                  { id: 'duration', header: 'Took', cell: (row) => duration(row.startDateTime, row.endDateTime), width: 100 },
                  {
                    id: 'issues',
                    header: 'Issues',
                    cell: (row) => {
                      const counts = row.details?.synchronizationReport;
                      if (row.error) return row.error.errorCode ?? 'Error';
                      if (!counts) return '—';
                      return `${counts.totalErrorsCount ?? 0} errors, ${counts.totalWarningsCount ?? 0} warnings`;
                    },
                    width: 180,
                  },
                ]}
              />
            </section>
          ))}
        </Flex>
        {selected && run && (
          <TaskPanel
            key={selected.task.id}
            iTwinId={iTwinId}
            iModelId={iModelId}
            run={run}
            job={selected.job}
            task={selected.task}
            fileName={fileName(selected.task)}
          />
        )}
      </div>
    </Page>
  );
}
