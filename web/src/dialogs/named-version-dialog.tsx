import { LabeledInput, LabeledTextarea, Text } from '@itwin/itwinui-react';
import { useState } from 'react';
import { post, V2 } from '../api/client';
import { paths } from '../api/paths';
import type { Changeset, NamedVersion } from '../api/types';
import { FormDialog } from '../components/form-dialog';

/** Create Named Version (iModels API): a name for one changeset, the version people refer to. */
export function NamedVersionDialog({
  iModelId,
  changeset,
  onClose,
  onCreated,
}: {
  iModelId: string;
  changeset: Changeset | undefined;
  onClose: () => void;
  onCreated: (version: NamedVersion) => void;
}) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  return (
    <FormDialog
      title={changeset ? `Name version ${changeset.index}` : 'Name a version'}
      isOpen={changeset !== undefined}
      onClose={() => {
        setName('');
        setDescription('');
        onClose();
      }}
      submitLabel="Create named version"
      canSubmit={name.trim() !== ''}
      onSubmit={async () => {
        const created = await post<{ namedVersion: NamedVersion }>(
          paths.namedVersions(iModelId),
          { name: name.trim(), changesetId: changeset!.id, ...(description.trim() ? { description: description.trim() } : {}) },
          { accept: V2 },
        );
        setName('');
        setDescription('');
        onCreated(created.body.namedVersion);
      }}
    >
      {changeset && <Text isMuted>{changeset.description}</Text>}
      <LabeledInput label="Version name" value={name} onChange={(event) => setName(event.target.value)} required maxLength={255} />
      <LabeledTextarea label="Description" value={description} onChange={(event) => setDescription(event.target.value)} maxLength={255} />
    </FormDialog>
  );
}
