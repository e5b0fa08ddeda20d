/**
 * What `kbArticleLink` points at: one article per key a run error (`errorKey`) or a task error
 * (`descriptionKey`) can carry, saying what happened and what to do. Served by the service
 * (GET /synchronization/errors/{key}) and written out in docs/errors.md, which a test holds to this
 * catalogue; another test checks that every key the code can produce has an article here.
 */
export interface ErrorArticle {
  /** A run's `error.errorKey`, or a task's `error.descriptionKey`. */
  readonly key: string;
  readonly of: 'run' | 'task';
  readonly title: string;
  /** What happened, in a user's terms. */
  readonly cause: string;
  /** What to do about it, and who can. */
  readonly action: string;
}

const articles: readonly ErrorArticle[] = [
  {
    key: 'UserNotAuthenticated',
    of: 'run',
    title: 'The user has not authorized runs on their behalf',
    cause:
      'The connection runs as `User` (its authenticationType), and the user who asked for the run has not given twinsync ' +
      'their consent to run connections on their behalf, so the run ended before any task.',
    action:
      'Ask Get Authorization Information (`GET /synchronization/imodels/connections/authorizationinformation?redirectUrl=…`) as that user, ' +
      'open its `authorizationUrl` in a browser and accept, then run the connection again. A service client can instead use a connection ' +
      'whose authenticationType is `Service`.',
  },
  {
    key: 'SourceFileUnreadable',
    of: 'task',
    title: 'The source file could not be read',
    cause: 'The stored content of the storage file could not be read (it is missing, or the store refused to give it).',
    action: 'Upload the file again (Update File Content, then Complete File Creation) and run the connection again.',
  },
  {
    key: 'SourceFileIncomplete',
    of: 'task',
    title: 'The source file is incomplete',
    cause: 'Fewer bytes are stored for the file than its upload recorded: the upload was cut short or the content was damaged.',
    action: 'Upload the file again and run the connection again.',
  },
  {
    key: 'ManifestDownloadRefused',
    of: 'task',
    title: 'The file URL of the manifest may not be downloaded',
    cause:
      'A manifest connection downloads each file from the URL its manifest gives. This one is refused: its scheme is not http or https, its host ' +
      'is not one the operator allows (MANIFEST_ALLOWED_HOSTS), it resolves to a loopback, private or otherwise non-public address the ' +
      'operator does not allow (MANIFEST_ALLOWED_ADDRESSES), or it redirected too often. Nothing was downloaded; the task is not retried.',
    action: 'Give a pre-authenticated URL on an allowed host in the next manifest, or ask the operator to allow the host.',
  },
  {
    key: 'ManifestDownloadTimedOut',
    of: 'task',
    title: 'The file of the manifest took too long to download',
    cause: 'The file server did not accept the connection, went silent, or did not send the whole file within the time limits (MANIFEST_*_TIMEOUT_MS).',
    action: 'The task is retried. If it keeps failing, check that the file server is reachable and fast enough, or ask the operator to raise the limits.',
  },
  {
    key: 'ManifestDownloadFailed',
    of: 'task',
    title: 'The file of the manifest could not be downloaded',
    cause:
      'The file server answered with an error, or the connection broke. A server error (5xx, 408, 429) is retried; a refusal (such as 403 or 404, ' +
      'often an expired pre-authenticated URL) is not.',
    action: 'Check the URL, give a fresh pre-authenticated URL in a new manifest, and run the connection again.',
  },
  {
    key: 'ManifestFileTooLarge',
    of: 'task',
    title: 'The file of the manifest is too large',
    cause: 'The file is larger than the service downloads (MANIFEST_MAX_FILE_BYTES); the download stopped at the limit.',
    action: 'Ask the operator to raise MANIFEST_MAX_FILE_BYTES, or synchronize a smaller file.',
  },
  {
    key: 'ManifestLengthMismatch',
    of: 'task',
    title: 'The file of the manifest is not as long as its server said',
    cause: 'The file server announced a Content-Length and sent more or fewer bytes than that: the content cannot be trusted.',
    action: 'The task is retried. If it keeps failing, the file server or a proxy in between is at fault.',
  },
  {
    key: 'SourceFileCorrupt',
    of: 'task',
    title: 'The source file is damaged',
    cause: 'The stored content does not match the SHA-256 hash recorded when its upload completed.',
    action: 'Upload the file again and run the connection again. If it happens again, the operator should check the storage behind twinsync.',
  },
  {
    key: 'TaskAborted',
    of: 'task',
    title: 'The task was stopped before it finished',
    cause:
      'Its run reached its time limit (RUN_TIMEOUT_MS), its connection was deleted (the run is then Cancelled), or its worker shut down ' +
      'past its grace period. A task stopped by a shutdown is taken up again by another worker.',
    action: 'Run the connection again. If runs often time out, the operator can raise RUN_TIMEOUT_MS or the connector’s time limit.',
  },
  {
    key: 'EmulatedFailure',
    of: 'task',
    title: 'An emulated failure',
    cause:
      'The connector of this type is emulated, and an outcome rule of its configuration (CONNECTORS) asked for this failure, so that ' +
      'clients can rehearse their error handling. Nothing is wrong with the file.',
    action: 'Nothing, if the failure was wanted. Otherwise the operator removes or changes the outcome rule in CONNECTORS.',
  },
  {
    key: 'ConnectorNotStarted',
    of: 'task',
    title: 'The connector program could not be started',
    cause: 'The program configured for this connector type is missing, not executable, or could not be started on the worker’s machine.',
    action: 'The operator installs the program or fixes its path in CONNECTORS; then run the connection again.',
  },
  {
    key: 'ConnectorFailed',
    of: 'task',
    title: 'The connector failed to convert the file',
    cause:
      'The connector program ended with an error (its exit code is `bridgeExitCode`; `details` holds the end of its error output). ' +
      'For the builtin IFC connector, exit code 2 means the file cannot be converted (not IFC, encrypted, cut short).',
    action:
      'Read `details` and the task’s diagnostic report (Get Diagnostic Reports). If the file is at fault, fix it and upload it again; ' +
      'otherwise the operator looks at the connector.',
  },
  {
    key: 'ConnectorTimedOut',
    of: 'task',
    title: 'The connector took too long',
    cause: 'The connector program did not finish within its configured time limit and was stopped.',
    action: 'Run the connection again; if the file is large, the operator can raise the connector’s timeoutMs in CONNECTORS.',
  },
  {
    key: 'ConnectorCrashed',
    of: 'task',
    title: 'The connector failed unexpectedly',
    cause: 'The connector failed in a way it does not report (a bug or a crash). The task is retried while retries are left.',
    action: 'Run the connection again. If it keeps failing, the operator looks at the worker’s log, which names the task.',
  },
];

export const ERROR_ARTICLES: ReadonlyMap<string, ErrorArticle> = new Map(articles.map((a) => [a.key, a]));

/** The path of a key's article under PUBLIC_URL; undefined when there is none. */
export function errorArticlePath(key: string): string | undefined {
  return ERROR_ARTICLES.has(key) ? `/synchronization/errors/${key}` : undefined;
}
