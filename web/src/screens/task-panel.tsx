import { SvgTag } from '@itwin/itwinui-icons-react';
import { Anchor, Button, Flex, Surface, Text } from '@itwin/itwinui-react';
import { useState } from 'react';
import { all, get, V2 } from '../api/client';
import { paths } from '../api/paths';
import type { Changeset, DiagnosticReport, DiagnosticReportRef, Job, NamedVersion, Run, Task } from '../api/types';
import { DataTable } from '../components/data-table';
import { Problem } from '../components/problem';
import { RunBadge } from '../components/state-badge';
import { duration, When } from '../components/time';
import { NamedVersionDialog } from '../dialogs/named-version-dialog';
import { Link, to } from '../router';
import { useResource } from '../use-resource';

interface Issue {
  key: string;
  level: string;
  category: string;
  message: string;
}

function issuesOf(report: DiagnosticReport): Issue[] {
  return (report.filerecords ?? []).flatMap((record, r) =>
    (record.auditrecords ?? []).map((audit, a) => ({
      key: `${r}:${a}`,
      level: audit.auditinfo?.level ?? '',
      category: audit.auditinfo?.category ?? '',
      message: audit.auditinfo?.message ?? '',
    })),
  );
}

/**
 * One task of a run: its times and retries, its error in full, the counts of its synchronization
 * report, its diagnostic report (a link to the JSON, and its issues), and the changeset it made,
 * which can be named here.
 */
export function TaskPanel({
  iTwinId,
  iModelId,
  run,
  job,
  task,
  fileName,
}: {
  iTwinId: string;
  iModelId: string;
  run: Run;
  job: Job;
  task: Task;
  fileName: string;
}) {
  // Read again when the task's state changes: a report and a changeset exist only once it completed.
  const report = useResource(`report:${task.id}:${task.state}`, async () => {
    if (task.state !== 'Completed') return undefined;
    const list = await get<{ reports: DiagnosticReportRef[] }>(paths.reports(iModelId, run.id, task.id));
    const ref = list.reports[0];
    if (!ref) return undefined;
    // The report's URL is signed: it needs no token (docs/reports.md).
    const content = await fetch(ref.sasUri, { headers: { accept: 'application/json' } }).then((r) =>
      r.ok ? (r.json() as Promise<DiagnosticReport>) : undefined,
    );
    return { ref, content };
  });
  const version = useResource(`changeset:${task.id}:${task.state}`, async () => {
    if (task.state !== 'Completed' || task.result !== 'Success') return undefined;
    const changesets = await all<Changeset>(paths.changesets(iModelId), 'changesets', { accept: V2, prefer: 'return=representation' });
    const changeset = changesets.find((c) => c.synchronizationInfo?.taskId === task.id);
    if (!changeset) return undefined;
    const named = await all<NamedVersion>(paths.namedVersions(iModelId), 'namedVersions', { accept: V2, prefer: 'return=representation' });
    return { changeset, named: named.find((v) => v.changesetIndex === changeset.index) };
  });
  const [naming, setNaming] = useState<Changeset>();
  const counts = task.details?.synchronizationReport;
  const error = task.error;
  const issues = report.data?.content ? issuesOf(report.data.content) : undefined;

  return (
    <Surface elevation={2} className="ts-card" as="section" aria-label={`Task: ${fileName}`}>
      <Flex flexDirection="column" alignItems="stretch" gap="m">
        <Flex gap="s" alignItems="center" flexWrap="wrap">
          <Text variant="title" as="h2">
            {fileName}
          </Text>
          <RunBadge state={task.state} result={task.result} />
        </Flex>
        <dl className="ts-facts" data-task-state={task.state} data-task-result={task.result}>
          <dt>Connector type</dt>
          <dd>{job.connectorType}</dd>
          <dt>Started</dt>
          <dd>
            <When value={task.startDateTime} />
          </dd>
          <dt>Ended</dt>
          <dd>
            <When value={task.endDateTime} />
          </dd>
          <dt>Took</dt>
          <dd>{duration(task.startDateTime, task.endDateTime)}</dd>
          <dt>Retries</dt>
          <dd>{task.retryAttempts}</dd>
          {task.details?.emulated === true && (
            <>
              <dt>Connector</dt>
              <dd>Emulated (docs/connectors.md)</dd>
            </>
          )}
        </dl>

        {error && (
          <section aria-label="Error">
            <Text variant="leading" as="h3">
              Error {error.errorCode ? `— ${error.errorCode}` : ''}
            </Text>
            <dl className="ts-facts">
              {error.message && (
                <>
                  <dt>Message</dt>
                  <dd>{error.message}</dd>
                </>
              )}
              {error.description && (
                <>
                  <dt>Description</dt>
                  <dd>{error.description}</dd>
                </>
              )}
              {error.category && (
                <>
                  <dt>Category</dt>
                  <dd>{error.category}</dd>
                </>
              )}
              {error.phase && (
                <>
                  <dt>Phase</dt>
                  <dd>{error.phase}</dd>
                </>
              )}
              {error.canUserFix !== undefined && (
                <>
                  <dt>You can fix it</dt>
                  <dd>{error.canUserFix ? 'Yes' : 'No'}</dd>
                </>
              )}
              {error.details && (
                <>
                  <dt>Details</dt>
                  <dd>
                    <pre className="ts-pre ts-mono">{error.details}</pre>
                  </dd>
                </>
              )}
            </dl>
            {error.kbArticleLink && (
              <Anchor href={error.kbArticleLink} target="_blank" rel="noreferrer">
                What this error means and what to do ({error.descriptionKey})
              </Anchor>
            )}
          </section>
        )}

        {counts && (
          <section aria-label="Synchronization report">
            <Text variant="leading" as="h3">
              Synchronization report
            </Text>
            <dl className="ts-facts">
              {counts.suggestedAction && (
                <>
                  <dt>Suggested action</dt>
                  <dd>{counts.suggestedAction}</dd>
                </>
              )}
              {counts.message && (
                <>
                  <dt>Summary</dt>
                  <dd>{counts.message}</dd>
                </>
              )}
              <dt>Errors</dt>
              <dd>{counts.totalErrorsCount ?? 0}</dd>
              <dt>Warnings</dt>
              <dd>{counts.totalWarningsCount ?? 0}</dd>
              <dt>Other issues</dt>
              <dd>{counts.totalOtherIssuesCount ?? 0}</dd>
            </dl>
          </section>
        )}

        <section aria-label="Diagnostic report">
          <Text variant="leading" as="h3">
            Diagnostic report
          </Text>
          <Problem error={report.error} />
          {task.state !== 'Completed' && <Text isMuted>Made when the task completes.</Text>}
          {report.data && (
            <Flex flexDirection="column" alignItems="stretch" gap="s">
              <Anchor href={report.data.ref.sasUri} target="_blank" rel="noreferrer">
                Open the diagnostic report (JSON)
              </Anchor>
              {issues && (
                <DataTable
                  caption="Issues the connector reported"
                  rows={issues}
                  empty="No issue."
                  rowKey={(row) => row.key}
                  columns={[
                    { id: 'level', header: 'Level', cell: (row) => row.level, width: 100 },
                    { id: 'category', header: 'Category', cell: (row) => row.category, width: 130 },
                    { id: 'message', header: 'Message', cell: (row) => row.message },
                  ]}
                />
              )}
            </Flex>
          )}
          {task.state === 'Completed' && report.data === undefined && !report.loading && !report.error && <Text isMuted>None was kept for this task.</Text>}
        </section>

        <section aria-label="Version">
          <Text variant="leading" as="h3">
            Version
          </Text>
          <Problem error={version.error} />
          {version.data ? (
            <Flex flexDirection="column" alignItems="flex-start" gap="xs">
              <Text>
                Changeset {version.data.changeset.index}: {version.data.changeset.description}
              </Text>
              <Link href={`${to('itwins', iTwinId, 'imodels', iModelId, 'view')}?${new URLSearchParams({ changeset: String(version.data.changeset.index) })}`}>
                View in 3D
              </Link>
              {version.data.named ? (
                <Text data-named-version={version.data.named.displayName}>Named version “{version.data.named.displayName}”</Text>
              ) : (
                <Button startIcon={<SvgTag />} onClick={() => setNaming(version.data!.changeset)}>
                  Create named version…
                </Button>
              )}
            </Flex>
          ) : (
            <Text isMuted>
              {task.state === 'Completed'
                ? version.loading
                  ? 'Looking for its changeset…'
                  : 'This task made no changeset.'
                : 'A task that succeeds adds a changeset to the iModel.'}
            </Text>
          )}
        </section>
      </Flex>
      <NamedVersionDialog iModelId={iModelId} changeset={naming} onClose={() => setNaming(undefined)} onCreated={() => version.reload()} />
    </Surface>
  );
}
