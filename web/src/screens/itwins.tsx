import { SvgAdd } from '@itwin/itwinui-icons-react';
import { Button, LabeledInput } from '@itwin/itwinui-react';
import { useState } from 'react';
import { all, post } from '../api/client';
import { paths } from '../api/paths';
import type { ITwin } from '../api/types';
import { DataTable } from '../components/data-table';
import { FormDialog } from '../components/form-dialog';
import { Page } from '../components/page';
import { Problem } from '../components/problem';
import { When } from '../components/time';
import { Link, navigate, to } from '../router';
import { useResource } from '../use-resource';

/** The iTwins the signed-in user is a member of. */
export function ITwinsScreen() {
  const itwins = useResource('itwins', () => all<ITwin>(paths.itwins, 'iTwins', { prefer: 'return=representation' }));
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  return (
    <Page
      crumbs={[]}
      title="iTwins"
      actions={
        <Button styleType="high-visibility" startIcon={<SvgAdd />} onClick={() => setCreating(true)}>
          New iTwin
        </Button>
      }
    >
      <Problem error={itwins.error} />
      <DataTable
        caption="Your iTwins"
        rows={itwins.data}
        loading={itwins.loading}
        empty="You are a member of no iTwin yet: create one."
        rowKey={(row) => row.id}
        columns={[
          { id: 'displayName', header: 'Name', cell: (row) => <Link href={to('itwins', row.id)}>{row.displayName}</Link> },
          { id: 'number', header: 'Number', cell: (row) => row.number ?? '—' },
          { id: 'status', header: 'Status', cell: (row) => row.status ?? '—', width: 120 },
          { id: 'createdDateTime', header: 'Created', cell: (row) => <When value={row.createdDateTime} />, width: 220 },
        ]}
      />
      <FormDialog
        title="New iTwin"
        isOpen={creating}
        onClose={() => {
          setCreating(false);
          setName('');
        }}
        submitLabel="Create"
        canSubmit={name.trim() !== ''}
        onSubmit={async () => {
          const created = await post<{ iTwin: ITwin }>(paths.itwins, { displayName: name.trim(), class: 'Endeavor', subClass: 'Project' });
          navigate(to('itwins', created.body.iTwin.id));
        }}
      >
        <LabeledInput label="Name" value={name} onChange={(event) => setName(event.target.value)} required maxLength={255} />
      </FormDialog>
    </Page>
  );
}
