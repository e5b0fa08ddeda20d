import { Table } from '@itwin/itwinui-react';
import type { ReactNode } from 'react';

export interface ColumnDef<T> {
  id: string;
  header: string;
  cell: (row: T) => ReactNode;
  /** Width in pixels, where the content is known to be short. */
  width?: number;
}

/**
 * The rows of a table with none yet, one array for every render: the table (react-table) resets its
 * state each time `data` is another array, and a new `[]` at each render made that a render loop
 * (React's "maximum update depth exceeded", on the Files tab opened from the iModels tab).
 */
const NO_ROWS: Record<string, unknown>[] = [];

/**
 * The design system's table with columns given as plain functions of a row. Names in it are links
 * to the row's screen (not clickable rows), so that the keyboard and screen readers reach them.
 */
export function DataTable<T extends object>({
  caption,
  columns,
  rows,
  empty,
  loading,
  rowKey,
}: {
  caption: string;
  columns: ColumnDef<T>[];
  rows: T[] | undefined;
  empty: string;
  loading?: boolean;
  rowKey?: (row: T) => string;
}) {
  const tableColumns = columns.map((column) => ({
    id: column.id,
    Header: column.header,
    accessor: (row: Record<string, unknown>) => row[column.id],
    Cell: ({ row }: { row: { original: T } }) => <>{column.cell(row.original)}</>,
    // Columns of known width keep it; the others share the rest, never narrower than a short name.
    ...(column.width ? { width: column.width, minWidth: Math.min(column.width, 80) } : { minWidth: 140 }),
  }));
  return (
    <Table
      caption={caption}
      columns={tableColumns as never}
      data={(rows ?? NO_ROWS) as Record<string, unknown>[]}
      emptyTableContent={empty}
      isLoading={loading && !rows}
      density="condensed"
      getRowId={rowKey ? (row: Record<string, unknown>) => rowKey(row as T) : undefined}
      style={{ maxHeight: '60vh' }}
    />
  );
}
