import type { Generated } from 'kysely';
import type { ConsentTicketUseRow, RunJobRow, RunRow, RunTaskRow, SyncedFileRow, UserConsentRow } from './schema-runs.js';
import type { ChangesetRow, ChangeTrackingRow, NamedVersionRow } from './schema-versions.js';
import type { DeploymentSecretRow, OAuthClientRow } from './schema-deployment.js';
import type { WebhookDeliveryRow, WebhookRow } from './schema-webhooks.js';
import type { AccountRow, AuthorizationCodeRow, RefreshTokenRow } from './schema-sign-in.js';

/**
 * Row types of the store, one interface per table. Timestamps are ISO 8601 strings in UTC with
 * milliseconds: they sort as text on both dialects, which keeps ordering code dialect-free.
 */
export interface Database {
  twinsync_migrations: MigrationRow;
  itwins: ITwinRow;
  itwin_members: ITwinMemberRow;
  itwin_roles: ITwinRoleRow;
  itwin_member_roles: { itwin_id: string; subject: string; role_id: string };
  itwin_groups: { id: string; itwin_id: string; name: string; description: string; ims_groups: string; created_at: string };
  itwin_group_users: { group_id: string; subject: string };
  itwin_group_members: { group_id: string; itwin_id: string; created_at: string };
  itwin_group_roles: { group_id: string; role_id: string };
  users: UserRow;
  itwin_invitations: InvitationRow;
  itwin_repositories: ITwinRepositoryRow;
  imodels: IModelRow;
  storage_folders: StorageFolderRow;
  storage_files: StorageFileRow;
  storage_connections: StorageConnectionRow;
  source_files: SourceFileRow;
  manifest_source_files: ManifestSourceFileRow;
  manifest_runs: ManifestRunRow;
  runs: RunRow;
  run_jobs: RunJobRow;
  run_tasks: RunTaskRow;
  synced_files: SyncedFileRow;
  changesets: ChangesetRow;
  named_versions: NamedVersionRow;
  change_tracking: ChangeTrackingRow;
  user_consents: UserConsentRow;
  consent_ticket_uses: ConsentTicketUseRow;
  storage_uploads: StorageUploadRow;
  deployment_secrets: DeploymentSecretRow;
  oauth_clients: OAuthClientRow;
  accounts: AccountRow;
  authorization_codes: AuthorizationCodeRow;
  refresh_tokens: RefreshTokenRow;
  webhooks: WebhookRow;
  webhook_deliveries: WebhookDeliveryRow;
  itwin_configurations: ConfigurationRow & { itwin_id: string };
  imodel_configurations: ConfigurationRow & { imodel_id: string };
  connection_configurations: ConfigurationRow & { connection_id: string };
}

/** One scope's configuration (its key column is added per table). */
export interface ConfigurationRow {
  /** JSON object of the flags stored at this scope. */
  settings: string;
  /** Counts changes: a PATCH replaces only the version it read. */
  version: number;
  created_at: string;
  updated_at: string;
}

export interface MigrationRow {
  name: string;
  applied_at: string;
}

export interface ITwinRow {
  id: string;
  display_name: string;
  class: string;
  sub_class: string;
  type: string | null;
  number: string | null;
  status: string;
  /** JSON object with the optional documented fields twinsync stores but never interprets. */
  extra: string | null;
  root_folder_id: string;
  created_at: string;
  created_by: string;
}

export interface ITwinMemberRow {
  itwin_id: string;
  subject: string;
  created_at: string;
  /** 1: an owner, who has every permission (migration 0013). */
  owner: Generated<number>;
  /** The permissions of the member's roles as `,a,b,` (`,` for none), kept in step with them. */
  permissions: Generated<string>;
  /** 1: a member only through a group that is a member (migration 0017); the recompute adds and removes it. */
  via_group: Generated<number>;
}

export interface ITwinRoleRow {
  id: string;
  itwin_id: string;
  display_name: string;
  description: string;
  /** JSON array of permission names. */
  permissions: string;
  created_at: string;
}

export interface UserRow {
  subject: string;
  email: string | null;
  /** `email` in lower case, for look-ups by address. */
  email_key: string | null;
  /** The names its token came with (migration 0020): `name`, `given_name`, `family_name`. */
  display_name: string | null;
  given_name: string | null;
  surname: string | null;
  updated_at: string;
}

export interface InvitationRow {
  id: string;
  itwin_id: string;
  email: string;
  email_key: string;
  /** JSON array of role ids. */
  role_ids: string;
  owner: number;
  invited_by: string;
  created_at: string;
  expires_at: string;
}

export interface ITwinRepositoryRow {
  id: string;
  itwin_id: string;
  class: string;
  sub_class: string | null;
  display_name: string | null;
  uri: string;
  /** JSON: `authentication` and `options` as given. */
  details: string;
  created_at: string;
  created_by: string;
}

export interface IModelRow {
  id: string;
  itwin_id: string;
  name: string;
  description: string | null;
  state: string;
  /** JSON `{southWest, northEast}` or null. */
  extent: string | null;
  created_at: string;
  created_by: string;
}

export interface StorageFolderRow {
  id: string;
  itwin_id: string;
  parent_id: string | null;
  display_name: string;
  description: string | null;
  created_at: string;
  created_by: string;
}

export interface StorageFileRow {
  id: string;
  itwin_id: string;
  folder_id: string;
  display_name: string;
  description: string | null;
  size: number;
  /** 0 until the first upload is completed; each completed upload adds one. */
  content_version: number;
  content_hash: string | null;
  created_at: string;
  created_by: string;
  modified_at: string;
  modified_by: string;
}

export interface StorageConnectionRow {
  id: string;
  imodel_id: string;
  itwin_id: string;
  display_name: string;
  authentication_type: string;
  created_by: string;
  created_at: string;
  last_run_id: string | null;
  /** `storage` (the default: inserts of storage connections leave it out) or `manifest`. */
  kind?: string;
}

/** A manifest connection's source file: an id of the document system its manifests come from. */
export interface ManifestSourceFileRow {
  id: string;
  connection_id: string;
  /** Copied from the connection: one unique index forbids the same source file twice per iModel. */
  imodel_id: string;
  source_file_id: string;
  created_at: string;
  ordinal: number;
}

/** The manifest a manifest connection's run was requested with (JSON), for the worker. */
export interface ManifestRunRow {
  run_id: string;
  manifest: string;
}

export interface SourceFileRow {
  id: string;
  connection_id: string;
  /** Copied from the connection so that one unique index can forbid mapping a file twice per iModel. */
  imodel_id: string;
  storage_file_id: string;
  connector_type: string;
  created_at: string;
  /** Position in the create request that added it (ties of created_at keep request order). */
  ordinal?: number;
  /** The storage file's display name when the storage file was deleted; null while it exists. */
  last_known_file_name?: string | null;
}

export interface StorageUploadRow {
  file_id: string;
  /** The content version this upload becomes when completed. */
  version: number;
  created_at: string;
  created_by: string;
  /** File name in DATA_DIR/uploads once a whole body arrived; null before. */
  staged_name: string | null;
  size: number | null;
  content_hash: string | null;
  uploaded_at: string | null;
  completed_at: string | null;
}
