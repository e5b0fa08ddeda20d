import type { Caller } from '../caller.js';
import { errors, type ApiError, type ErrorDetail } from '../errors.js';
import { manifestConnectionForCaller } from '../manifest-connections/access.js';
import { connectionForCaller } from '../storage-connections/access.js';
import type { StorageConnection } from '../storage-connections/model.js';
import type { Repositories } from '../store.js';

/** The runs of one kind of connection, as its operations reach them: its access rule and its errors. */
export interface RunsOfKind {
  access(repos: Pick<Repositories, 'connections' | 'itwins'>, caller: Caller, connectionId: string): Promise<StorageConnection>;
  invalid(details: ErrorDetail[]): ApiError;
  notFound(): ApiError;
}

export const STORAGE_RUNS: RunsOfKind = {
  access: (repos, caller, id) => connectionForCaller(repos, caller, id),
  invalid: errors.invalidStorageConnectionRequest,
  notFound: errors.runNotFound,
};

export const MANIFEST_RUNS: RunsOfKind = {
  access: (repos, caller, id) => manifestConnectionForCaller(repos, caller, id),
  invalid: errors.invalidManifestConnectionRequest,
  notFound: errors.manifestRunNotFound,
};
