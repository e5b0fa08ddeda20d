import { LabeledSelect } from '@itwin/itwinui-react';
import { useState } from 'react';
import { all, post } from '../api/client';
import { paths } from '../api/paths';
import type { SourceFile, StorageItem } from '../api/types';
import { FormDialog } from '../components/form-dialog';
import { Problem } from '../components/problem';
import { UploadZone } from '../components/upload-zone';
import { CONNECTOR_TYPES, guessConnectorType } from '../connector-types';
import { useRootFolder } from '../root-folder';
import { useResource } from '../use-resource';

/** Add Source File: one more storage file, with its connector type, synchronized by the connection's next run. */
export function AddSourceFileDialog({
  iTwinId,
  connectionId,
  mapped,
  isOpen,
  onClose,
  onAdded,
}: {
  iTwinId: string;
  connectionId: string;
  /** Storage files the connection maps already (not offered again). */
  mapped: string[];
  isOpen: boolean;
  onClose: () => void;
  onAdded: () => void;
}) {
  const root = useRootFolder(iTwinId);
  const files = useResource(`files:${root.data}:${isOpen}`, () =>
    root.data && isOpen ? all<StorageItem>(paths.folderFiles(root.data), 'files') : Promise.resolve(undefined),
  );
  const offered = (files.data ?? []).filter((file) => (file.size ?? 0) > 0 && !mapped.includes(file.id));
  const [fileId, setFileId] = useState('');
  const [connectorType, setConnectorType] = useState('');
  const chosen = fileId || offered[0]?.id || '';
  const chosenName = offered.find((file) => file.id === chosen)?.displayName ?? '';
  const type = connectorType || guessConnectorType(chosenName);
  const reset = () => {
    setFileId('');
    setConnectorType('');
  };
  return (
    <FormDialog
      title="Add a source file"
      isOpen={isOpen}
      onClose={() => {
        reset();
        onClose();
      }}
      submitLabel="Add"
      canSubmit={chosen !== ''}
      onSubmit={async () => {
        await post<{ sourceFile: SourceFile }>(paths.sourceFiles(connectionId), { storageFileId: chosen, connectorType: type });
        reset();
        onAdded();
      }}
    >
      <Problem error={root.error ?? files.error} />
      <LabeledSelect
        label="File"
        native
        value={chosen}
        onChange={(value) => {
          setFileId(value);
          setConnectorType('');
        }}
        options={
          offered.length
            ? offered.map((file) => ({ value: file.id, label: file.displayName }))
            : [{ value: '', label: 'No other uploaded file: upload one below' }]
        }
      />
      <LabeledSelect label="Connector type" native value={type} onChange={(value) => setConnectorType(value)} options={CONNECTOR_TYPES} />
      {root.data && (
        <UploadZone
          folderId={root.data}
          onUploaded={(id) => {
            setFileId(id);
            setConnectorType('');
            files.reload();
          }}
        />
      )}
    </FormDialog>
  );
}
