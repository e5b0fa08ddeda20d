import { Flex, Text } from '@itwin/itwinui-react';
import type { Run } from '../api/types';
import type { Resource } from '../use-resource';
import { Link } from '../router';
import { DataTable } from './data-table';
import { LiveIndicator } from './live-indicator';
import { Problem } from './problem';
import { RunBadge } from './state-badge';
import { duration, When } from './time';
import type { LiveMode } from '../api/events';

/** A connection's runs, newest first, each linking to its screen: the same table for storage and manifest connections. */
export function RunsSection({
  runs,
  live,
  caption,
  empty,
  runHref,
  label,
}: {
  runs: Resource<Run[]>;
  live: LiveMode;
  caption: string;
  empty: string;
  runHref: (runId: string) => string;
  /** The section's accessible name, when it needs one. */
  label?: string;
}) {
  return (
    <Flex as="section" aria-label={label} flexDirection="column" alignItems="stretch" gap="s">
      <Flex justifyContent="space-between" alignItems="center">
        <Text variant="title" as="h2">
          Runs
        </Text>
        <LiveIndicator mode={live} />
      </Flex>
      <Problem error={runs.error} />
      <DataTable
        caption={caption}
        rows={runs.data}
        loading={runs.loading}
        empty={empty}
        rowKey={(row) => row.id}
        columns={[
          {
            id: 'startDateTime',
            header: 'Requested',
            cell: (row) => (
              <Link href={runHref(row.id)}>
                <When value={row.startDateTime} />
              </Link>
            ),
            width: 240,
          },
          { id: 'state', header: 'Outcome', cell: (row) => <RunBadge state={row.state} result={row.result} />, width: 160 },
          { id: 'phase', header: 'Phase', cell: (row) => row.phase ?? '—', width: 140 },
          { id: 'duration', header: 'Took', cell: (row) => duration(row.startDateTime, row.endDateTime), width: 120 },
          { id: 'error', header: 'Error', cell: (row) => row.error?.errorKey ?? '' },
        ]}
      />
    </Flex>
  );
}
