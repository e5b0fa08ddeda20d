import { Checkbox, Fieldset, Flex, LabeledInput, LabeledSelect, Select, Text } from '@itwin/itwinui-react';
import { useState } from 'react';
import { all, post } from '../api/client';
import { paths } from '../api/paths';
import type { StorageConnection, StorageItem } from '../api/types';
import { FormDialog } from '../components/form-dialog';
import { Problem } from '../components/problem';
import { bytes } from '../components/time';
import { UploadZone } from '../components/upload-zone';
import { CONNECTOR_TYPES, guessConnectorType } from '../connector-types';
import { useRootFolder } from '../root-folder';
import { useResource } from '../use-resource';

/**
 * Create Storage Connection: a name, whose authority runs use, and the files with the connector type
 * of each. Files come from the iTwin's storage; new ones can be dropped in here and are picked at once.
 */
export function NewConnectionDialog({
  iTwinId,
  iModelId,
  isOpen,
  onClose,
  onCreated,
}: {
  iTwinId: string;
  iModelId: string;
  isOpen: boolean;
  onClose: () => void;
  onCreated: (connection: StorageConnection) => void;
}) {
  const root = useRootFolder(iTwinId);
  const files = useResource(`files:${root.data}:${isOpen}`, () =>
    root.data && isOpen ? all<StorageItem>(paths.folderFiles(root.data), 'files') : Promise.resolve(undefined),
  );
  const [name, setName] = useState('');
  const [authenticationType, setAuthenticationType] = useState('Service');
  const [picked, setPicked] = useState<Record<string, string>>({});
  const reset = () => {
    setName('');
    setAuthenticationType('Service');
    setPicked({});
  };
  const toggle = (file: { id: string; displayName: string }, on: boolean) =>
    setPicked((current) => {
      const next = { ...current };
      if (on) next[file.id] = current[file.id] ?? guessConnectorType(file.displayName);
      else delete next[file.id];
      return next;
    });
  const completed = (files.data ?? []).filter((file) => (file.size ?? 0) > 0);
  return (
    <FormDialog
      title="New connection"
      isOpen={isOpen}
      onClose={() => {
        reset();
        onClose();
      }}
      submitLabel="Create connection"
      canSubmit={Object.keys(picked).length > 0}
      onSubmit={async () => {
        const created = await post<{ connection: StorageConnection }>(paths.createConnection, {
          iModelId,
          ...(name.trim() ? { displayName: name.trim() } : {}),
          authenticationType,
          sourceFiles: Object.entries(picked).map(([storageFileId, connectorType]) => ({ storageFileId, connectorType })),
        });
        reset();
        onCreated(created.body.connection);
      }}
    >
      <LabeledInput label="Name" value={name} onChange={(event) => setName(event.target.value)} maxLength={255} />
      <LabeledSelect
        label="Runs as"
        native
        value={authenticationType}
        onChange={(value) => setAuthenticationType(value)}
        options={[
          { value: 'Service', label: 'Service — runs need no one’s consent' },
          { value: 'User', label: 'User — runs act on your behalf, once you consent' },
        ]}
      />
      <Fieldset legend="Source files">
        <Flex flexDirection="column" alignItems="stretch" gap="s">
          <Problem error={root.error ?? files.error} />
          {files.data && completed.length === 0 && <Text isMuted>The iTwin has no uploaded file yet: drop one below.</Text>}
          {completed.map((file) => (
            <Flex key={file.id} gap="m" alignItems="center" justifyContent="space-between" flexWrap="wrap">
              <Checkbox
                label={`${file.displayName} (${bytes(file.size)})`}
                checked={file.id in picked}
                onChange={(event) => toggle(file, event.target.checked)}
              />
              {file.id in picked && (
                <Select
                  native
                  triggerProps={{ 'aria-label': `Connector type of ${file.displayName}` }}
                  value={picked[file.id]}
                  onChange={(value) => setPicked((current) => ({ ...current, [file.id]: value }))}
                  options={CONNECTOR_TYPES}
                />
              )}
            </Flex>
          ))}
          {root.data && (
            <UploadZone
              folderId={root.data}
              onUploaded={(fileId, fileName) => {
                setPicked((current) => ({ ...current, [fileId]: guessConnectorType(fileName) }));
                files.reload();
              }}
            />
          )}
        </Flex>
      </Fieldset>
    </FormDialog>
  );
}
