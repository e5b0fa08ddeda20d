import { LabeledInput, LabeledSelect, Text } from '@itwin/itwinui-react';
import { useState } from 'react';
import { patch, post } from '../api/client';
import { paths } from '../api/paths';
import type { Role } from '../api/types';
import { FormDialog } from '../components/form-dialog';

/**
 * Roles the dialog offers to make when the iTwin has none of that name: sharing should not first
 * need a trip to role administration. Permission names are the platform's (docs/access-control.md).
 */
const PRESETS: { displayName: string; description: string; permissions: string[] }[] = [
  {
    displayName: 'Reader',
    description: 'Sees the iTwin, its iModels, connections, runs and files.',
    permissions: ['itwins_read', 'imodels_webview', 'imodels_read', 'storage_read'],
  },
  {
    displayName: 'Contributor',
    description: 'Reader, and uploads files, changes connections, runs them and names versions.',
    permissions: ['itwins_read', 'imodels_webview', 'imodels_read', 'imodels_write', 'storage_read', 'storage_write'],
  },
];

const OWNER = 'owner';

/**
 * Share the iTwin with a colleague by address (Access Control v2): as a user member holding a role,
 * or as an owner. An address the service has not seen a user sign in with becomes an invitation,
 * accepted when that user first signs in with it.
 */
export function ShareDialog({
  iTwinId,
  roles,
  isOpen,
  onClose,
  onShared,
}: {
  iTwinId: string;
  roles: Role[];
  isOpen: boolean;
  onClose: () => void;
  onShared: (message: string) => void;
}) {
  const [email, setEmail] = useState('');
  const presets = PRESETS.filter((preset) => !roles.some((role) => role.displayName.toLowerCase() === preset.displayName.toLowerCase()));
  const options = [
    ...roles.map((role) => ({ value: `role:${role.id}`, label: `${role.displayName}${role.description ? ` — ${role.description}` : ''}` })),
    ...presets.map((preset) => ({ value: `preset:${preset.displayName}`, label: `${preset.displayName} (new role) — ${preset.description}` })),
    { value: OWNER, label: 'Owner — every permission, and manages members' },
  ];
  const [access, setAccess] = useState<string>('');
  const chosen = access || options[0]?.value || OWNER;
  return (
    <FormDialog
      title="Share this iTwin"
      isOpen={isOpen}
      onClose={() => {
        setEmail('');
        setAccess('');
        onClose();
      }}
      submitLabel="Share"
      canSubmit={/^[^\s@]+@[^\s@]+$/.test(email.trim())}
      onSubmit={async () => {
        const address = email.trim();
        if (chosen === OWNER) {
          const answer = await post<{ member: unknown; invitation: unknown }>(paths.ownerMembers(iTwinId), { email: address });
          onShared(
            answer.body.member ? `${address} is now an owner.` : `${address} is invited as an owner: it becomes one when they sign in with this address.`,
          );
          return;
        }
        let roleId = chosen.startsWith('role:') ? chosen.slice(5) : '';
        if (chosen.startsWith('preset:')) {
          const preset = PRESETS.find((p) => `preset:${p.displayName}` === chosen)!;
          const created = await post<{ role: Role }>(paths.roles(iTwinId), { displayName: preset.displayName, description: preset.description });
          roleId = created.body.role.id;
          await patch(paths.role(iTwinId, roleId), { permissions: preset.permissions });
        }
        const answer = await post<{ members: unknown[]; invitations: unknown[] }>(paths.userMembers(iTwinId), {
          members: [{ email: address, roleIds: [roleId] }],
        });
        onShared(
          answer.body.members.length > 0 ? `${address} is now a member.` : `${address} is invited: they become a member when they sign in with this address.`,
        );
      }}
    >
      <LabeledInput
        label="Colleague's e-mail address"
        type="email"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        required
        autoComplete="email"
      />
      <LabeledSelect label="Access" native value={chosen} onChange={(value) => setAccess(value)} options={options} />
      <Text isMuted>Members are known by the address they sign in with. The service sends no e-mail: tell your colleague where to sign in.</Text>
    </FormDialog>
  );
}
