import type { Kysely } from 'kysely';
import * as initial from './0001-initial.js';
import * as platform from './0002-platform.js';
import * as runs from './0003-runs.js';
import * as lastKnownFileName from './0004-last-known-file-name.js';
import * as consentTicketUses from './0005-consent-ticket-uses.js';
import * as versions from './0006-versions.js';
import * as keysetIndexes from './0007-keyset-indexes.js';
import * as deploymentSecrets from './0008-deployment-secrets.js';
import * as configurations from './0009-configurations.js';
import * as taskReports from './0010-task-reports.js';
import * as webhooks from './0011-webhooks.js';
import * as manifestConnections from './0012-manifest-connections.js';
import * as accessControl from './0013-access-control.js';
import * as itwinRepositories from './0014-itwin-repositories.js';
import * as changedElements from './0016-changed-elements.js';
import * as groups from './0017-groups.js';
import * as signIn from './0020-sign-in.js';

export interface Migration {
  readonly name: string;
  up(db: Kysely<unknown>): Promise<void>;
}

/** Numbered, append-only: a released migration is never edited, a new one is added. */
export const migrations: readonly Migration[] = [
  { name: '0001-initial', up: initial.up },
  { name: '0002-platform', up: platform.up },
  { name: '0003-runs', up: runs.up },
  { name: '0004-last-known-file-name', up: lastKnownFileName.up },
  { name: '0005-consent-ticket-uses', up: consentTicketUses.up },
  { name: '0006-versions', up: versions.up },
  { name: '0007-keyset-indexes', up: keysetIndexes.up },
  { name: '0008-deployment-secrets', up: deploymentSecrets.up },
  { name: '0009-configurations', up: configurations.up },
  { name: '0010-task-reports', up: taskReports.up },
  { name: '0011-webhooks', up: webhooks.up },
  { name: '0012-manifest-connections', up: manifestConnections.up },
  { name: '0013-access-control', up: accessControl.up },
  { name: '0014-itwin-repositories', up: itwinRepositories.up },
  { name: '0016-changed-elements', up: changedElements.up },
  { name: '0017-groups', up: groups.up },
  { name: '0020-sign-in', up: signIn.up },
];
