import { Checkbox, Fieldset, Flex, LabeledInput, LabeledSelect, Text } from '@itwin/itwinui-react';
import { useEffect, useState } from 'react';
import { type Answer, post } from '../api/client';
import { paths } from '../api/paths';
import type { ManifestEntry, ManifestSourceFile } from '../api/types';
import { FormDialog } from '../components/form-dialog';
import { CONNECTOR_TYPES, guessConnectorType } from '../connector-types';

type Draft = { included: boolean; name: string; url: string; connectorType: string; action: 'bridge' | 'unmap' };

/**
 * Run a manifest connection: its run request carries the manifest (docs/manifest-connections.md),
 * for each registered file a download URL from the document system, its name and connector type,
 * and whether to bring it in or take out what it brought. A document system usually sends this
 * itself; the dialog lets a person do it by hand (pasting a pre-authenticated URL).
 */
export function ManifestRunDialog({
  connectionId,
  sourceFiles,
  isOpen,
  onClose,
  onStarted,
}: {
  connectionId: string;
  sourceFiles: ManifestSourceFile[];
  isOpen: boolean;
  onClose: () => void;
  onStarted: (answer: Answer<unknown>) => void;
}) {
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  // A fresh form each time it opens, one entry per registered id (keyed by the ids, not the array, which a parent may rebuild on each render).
  const ids = sourceFiles.map((f) => f.sourceFileId).join('\n');
  useEffect(() => {
    if (isOpen)
      setDrafts(
        Object.fromEntries(
          ids
            .split('\n')
            .filter(Boolean)
            .map((id) => [id, { included: true, name: '', url: '', connectorType: 'IFC', action: 'bridge' }]),
        ),
      );
  }, [isOpen, ids]);
  const change = (id: string, patch: Partial<Draft>) => setDrafts((current) => ({ ...current, [id]: { ...current[id]!, ...patch } }));
  const included = Object.entries(drafts).filter(([, d]) => d.included);
  return (
    <FormDialog
      title="Run with a manifest"
      isOpen={isOpen}
      onClose={onClose}
      submitLabel="Start run"
      canSubmit={included.length > 0 && included.every(([, d]) => d.name.trim() && d.url.trim())}
      onSubmit={async () => {
        const entries: ManifestEntry[] = included.map(([id, d]) => ({
          id,
          name: d.name.trim(),
          url: d.url.trim(),
          connectorType: d.connectorType,
          action: d.action,
        }));
        onStarted(await post(paths.manifestRuns(connectionId), { sourceFiles: entries }));
      }}
    >
      <Text>For each file, where the service downloads it (a URL the document system signed), its name and connector type.</Text>
      {sourceFiles.map(({ sourceFileId: id }) => {
        const draft = drafts[id];
        if (!draft) return null;
        return (
          <Fieldset key={id} legend={`Source file ${id}`}>
            <Flex flexDirection="column" alignItems="stretch" gap="s">
              <Checkbox label={`Include ${id} in this run`} checked={draft.included} onChange={(e) => change(id, { included: e.target.checked })} />
              {draft.included && (
                <>
                  <LabeledInput
                    label={`File name of ${id}`}
                    value={draft.name}
                    required
                    onChange={(e) => change(id, { name: e.target.value, connectorType: guessConnectorType(e.target.value) })}
                  />
                  <LabeledInput label={`Download URL of ${id}`} type="url" value={draft.url} required onChange={(e) => change(id, { url: e.target.value })} />
                  <LabeledSelect
                    label={`Connector type of ${id}`}
                    native
                    value={draft.connectorType}
                    options={CONNECTOR_TYPES}
                    onChange={(value) => change(id, { connectorType: value })}
                  />
                  <LabeledSelect
                    label={`Action for ${id}`}
                    native
                    value={draft.action}
                    options={[
                      { value: 'bridge', label: 'Synchronize (bridge)' },
                      { value: 'unmap', label: 'Remove what it brought in (unmap)' },
                    ]}
                    onChange={(value) => change(id, { action: value as Draft['action'] })}
                  />
                </>
              )}
            </Flex>
          </Fieldset>
        );
      })}
    </FormDialog>
  );
}
