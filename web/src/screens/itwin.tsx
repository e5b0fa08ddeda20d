import { SvgAdd, SvgShare } from '@itwin/itwinui-icons-react';
import { Alert, Button, Flex, LabeledInput, LabeledTextarea, Tabs, Text } from '@itwin/itwinui-react';
import { useState } from 'react';
import { all, get, post, V2 } from '../api/client';
import { paths } from '../api/paths';
import type { IModel, Invitation, ITwin, Member, Role, StorageItem } from '../api/types';
import { DataTable } from '../components/data-table';
import { FormDialog } from '../components/form-dialog';
import { Page } from '../components/page';
import { Problem } from '../components/problem';
import { bytes, When } from '../components/time';
import { UploadZone } from '../components/upload-zone';
import { ShareDialog } from '../dialogs/share-dialog';
import { Link, navigate, to } from '../router';
import { useResource } from '../use-resource';
import { useRootFolder } from '../root-folder';

const TABS = ['imodels', 'files', 'members'] as const;

/** One iTwin: its iModels, the files of its storage, its members. */
export function ITwinScreen({ iTwinId, tab }: { iTwinId: string; tab?: string }) {
  const itwin = useResource(`itwin:${iTwinId}`, () => get<{ iTwin: ITwin }>(paths.itwin(iTwinId)).then((a) => a.iTwin));
  const current = TABS.includes(tab as (typeof TABS)[number]) ? (tab as string) : 'imodels';
  const name = itwin.data?.displayName ?? 'iTwin';
  return (
    <Page crumbs={[{ label: 'iTwins', href: to() }]} title={name}>
      <Problem error={itwin.error} />
      <Tabs.Wrapper value={current} onValueChange={(value) => navigate(to('itwins', iTwinId, value))}>
        <Tabs.TabList>
          <Tabs.Tab value="imodels" label="iModels" />
          <Tabs.Tab value="files" label="Files" />
          <Tabs.Tab value="members" label="Members" />
        </Tabs.TabList>
        <Tabs.Panel value="imodels">{current === 'imodels' && <IModelsPanel iTwinId={iTwinId} />}</Tabs.Panel>
        <Tabs.Panel value="files">{current === 'files' && <FilesPanel iTwinId={iTwinId} />}</Tabs.Panel>
        <Tabs.Panel value="members">{current === 'members' && <MembersPanel iTwinId={iTwinId} />}</Tabs.Panel>
      </Tabs.Wrapper>
    </Page>
  );
}

function IModelsPanel({ iTwinId }: { iTwinId: string }) {
  const imodels = useResource(`imodels:${iTwinId}`, () => all<IModel>(paths.imodels(iTwinId), 'iModels', { accept: V2, prefer: 'return=representation' }));
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  return (
    <Flex flexDirection="column" alignItems="stretch" gap="m">
      <Flex justifyContent="flex-end">
        <Button styleType="high-visibility" startIcon={<SvgAdd />} onClick={() => setCreating(true)}>
          New iModel
        </Button>
      </Flex>
      <Problem error={imodels.error} />
      <DataTable
        caption="iModels of this iTwin"
        rows={imodels.data}
        loading={imodels.loading}
        empty="No iModel yet: create one, then connect files to it."
        rowKey={(row) => row.id}
        columns={[
          { id: 'displayName', header: 'Name', cell: (row) => <Link href={to('itwins', iTwinId, 'imodels', row.id)}>{row.displayName}</Link> },
          { id: 'description', header: 'Description', cell: (row) => row.description ?? '' },
          { id: 'createdDateTime', header: 'Created', cell: (row) => <When value={row.createdDateTime} />, width: 220 },
        ]}
      />
      <FormDialog
        title="New iModel"
        isOpen={creating}
        onClose={() => {
          setCreating(false);
          setName('');
          setDescription('');
        }}
        submitLabel="Create"
        canSubmit={name.trim() !== ''}
        onSubmit={async () => {
          const created = await post<{ iModel: IModel }>(
            paths.createIModel,
            { iTwinId, name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}) },
            { accept: V2 },
          );
          navigate(to('itwins', iTwinId, 'imodels', created.body.iModel.id));
        }}
      >
        <LabeledInput label="Name" value={name} onChange={(event) => setName(event.target.value)} required maxLength={255} />
        <LabeledTextarea label="Description" value={description} onChange={(event) => setDescription(event.target.value)} maxLength={255} />
      </FormDialog>
    </Flex>
  );
}

function FilesPanel({ iTwinId }: { iTwinId: string }) {
  const root = useRootFolder(iTwinId);
  const files = useResource(`files:${root.data}`, () => (root.data ? all<StorageItem>(paths.folderFiles(root.data), 'files') : Promise.resolve(undefined)));
  return (
    <Flex flexDirection="column" alignItems="stretch" gap="m">
      <Problem error={root.error ?? files.error} />
      {root.data && <UploadZone folderId={root.data} onUploaded={() => files.reload()} />}
      <DataTable
        caption="Files in the iTwin's storage"
        rows={files.data}
        loading={files.loading}
        empty="No file yet: drop some above."
        rowKey={(row) => row.id}
        columns={[
          { id: 'displayName', header: 'Name', cell: (row) => row.displayName },
          { id: 'size', header: 'Size', cell: (row) => (row.size ? bytes(row.size) : 'Not completed'), width: 140 },
          { id: 'lastModifiedDateTime', header: 'Modified', cell: (row) => <When value={row.lastModifiedDateTime} />, width: 220 },
        ]}
      />
    </Flex>
  );
}

function MembersPanel({ iTwinId }: { iTwinId: string }) {
  const members = useResource(`members:${iTwinId}`, async () => {
    const [users, owners, invitations, roles] = await Promise.all([
      all<Member>(paths.userMembers(iTwinId), 'members'),
      all<Member>(paths.ownerMembers(iTwinId), 'members'),
      all<Invitation>(paths.invitations(iTwinId), 'invitations').catch(() => [] as Invitation[]),
      get<{ roles: Role[] }>(paths.roles(iTwinId)).then((a) => a.roles),
    ]);
    const people = [
      ...owners.map((m) => ({ key: `o:${m.id}`, who: m.email ?? m.id, access: 'Owner', pending: false })),
      ...users.map((m) => ({ key: `u:${m.id}`, who: m.email ?? m.id, access: (m.roles ?? []).map((r) => r.displayName).join(', '), pending: false })),
      ...invitations.map((i) => ({ key: `i:${i.id}`, who: i.email, access: i.roles.map((r) => r.displayName).join(', ') || 'Owner', pending: true })),
    ];
    return { people, roles };
  });
  const [sharing, setSharing] = useState(false);
  const [shared, setShared] = useState<string>();
  return (
    <Flex flexDirection="column" alignItems="stretch" gap="m">
      <Flex justifyContent="flex-end">
        <Button styleType="high-visibility" startIcon={<SvgShare />} onClick={() => setSharing(true)} disabled={!members.data}>
          Share…
        </Button>
      </Flex>
      {shared && (
        <Alert type="positive" onClose={() => setShared(undefined)} role="status">
          {shared}
        </Alert>
      )}
      <Problem error={members.error} />
      <DataTable
        caption="People who may work in this iTwin"
        rows={members.data?.people}
        loading={members.loading}
        empty="Nobody."
        rowKey={(row) => row.key}
        columns={[
          { id: 'who', header: 'Who', cell: (row) => row.who },
          { id: 'access', header: 'Access', cell: (row) => row.access || '—' },
          { id: 'pending', header: 'Status', cell: (row) => (row.pending ? <Text isMuted>Invited</Text> : 'Member'), width: 140 },
        ]}
      />
      {members.data && (
        <ShareDialog
          iTwinId={iTwinId}
          roles={members.data.roles}
          isOpen={sharing}
          onClose={() => setSharing(false)}
          onShared={(message) => {
            setShared(message);
            members.reload();
          }}
        />
      )}
    </Flex>
  );
}
