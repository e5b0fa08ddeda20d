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
      data={(rows ?? []) as Record<string, unknown>[]}
      emptyTableContent={empty}
      isLoading={loading && !rows}
      density="condensed"
      getRowId={rowKey ? (row: Record<string, unknown>) => rowKey(row as T) : undefined}
      style={{ maxHeight: '60vh' }}
    />
  );
}
