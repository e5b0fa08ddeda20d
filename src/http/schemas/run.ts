import { Type, type TSchema } from 'typebox';
import { Link } from './common.js';

const Timestamp = Type.String({ format: 'date-time' });

export const TaskError = Type.Object(
  {
    errorCode: Type.Optional(Type.String()),
    message: Type.Optional(Type.String()),
    details: Type.Optional(Type.String()),
    bridgeExitCode: Type.Optional(Type.Integer()),
    system: Type.Optional(Type.String()),
    phase: Type.Optional(Type.String()),
    category: Type.Optional(Type.String()),
    descriptionKey: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    kbArticleLink: Type.Optional(Type.String({ description: 'A page of this service explaining the error (by descriptionKey) and what to do.' })),
    canUserFix: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);

/** A run's error: the documented errorKey and description, and twinsync's kbArticleLink (docs/errors.md). */
const RunError = Type.Object({
  errorKey: Type.String(),
  description: Type.String(),
  kbArticleLink: Type.Optional(Type.String({ description: 'A page of this service explaining the error and what to do.' })),
});

const TaskFields = {
  state: Type.String(),
  result: Type.String(),
  retryAttempts: Type.Integer(),
  startDateTime: Type.Optional(Timestamp),
  endDateTime: Type.Optional(Timestamp),
  error: Type.Optional(TaskError),
  details: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'synchronizationReport, and emulated: true for emulated tasks.' })),
};

/** A run's schemas around its tasks' schema: a storage connection's tasks name a storage file, a manifest connection's a source file. */
function runSchemas<T extends TSchema>(task: T) {
  const Job = Type.Object({
    id: Type.String(),
    connectorType: Type.String(),
    state: Type.String(),
    result: Type.String(),
    startDateTime: Type.Optional(Timestamp),
    endDateTime: Type.Optional(Timestamp),
    tasks: Type.Array(task),
  });
  const Run = Type.Object({
    id: Type.String(),
    connectionId: Type.String(),
    startDateTime: Timestamp,
    endDateTime: Type.Optional(Timestamp),
    phase: Type.Optional(Type.String()),
    state: Type.String({ description: 'WaitingToExecute, Executing, Finalizing or Completed.' }),
    result: Type.String({ description: 'Undetermined until Completed; then Success, PartialSuccess, Error, Cancelled or TimedOut.' }),
    error: Type.Optional(RunError),
    jobs: Type.Array(Job),
  });
  const RunListItem = Type.Object({
    id: Type.String(),
    state: Type.String(),
    result: Type.String(),
    connectionId: Type.Optional(Type.String()),
    startDateTime: Type.Optional(Timestamp),
    endDateTime: Type.Optional(Timestamp),
    phase: Type.Optional(Type.String()),
    error: Type.Optional(RunError),
    jobs: Type.Optional(Type.Array(Job)),
  });
  const RunList = Type.Object({
    runs: Type.Array(RunListItem),
    _links: Type.Object({ self: Link, prev: Type.Optional(Link), next: Type.Optional(Link) }),
  });
  return { Job, Run, RunResponse: Type.Object({ run: Run }), RunListItem, RunList };
}

export const Task = Type.Object({ id: Type.String(), storageFileId: Type.String(), ...TaskFields });
export const { Job, Run, RunResponse, RunListItem, RunList } = runSchemas(Task);

export const ManifestTask = Type.Object({
  id: Type.String(),
  sourceFileId: Type.String({ description: "The manifest's id of the file the task synchronizes (or unmaps)." }),
  ...TaskFields,
});
export const { Run: ManifestRun, RunResponse: ManifestRunResponse, RunList: ManifestRunList } = runSchemas(ManifestTask);

export const RunParams = Type.Object({ connectionId: Type.String(), runId: Type.String() });
