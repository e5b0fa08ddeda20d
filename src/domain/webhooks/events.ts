import { newGuid } from '../ids.js';
import type { Changeset, NamedVersion } from '../versions/model.js';
import { EventType, type WebhookEvent } from './model.js';

/**
 * The events twinsync sends, with the content Bentley documents for each (docs/webhooks.md). The
 * envelope (eventType, iTwinId, messageId, webhookId, enqueuedDateTime) is added at delivery; the
 * iTwin is the iModel's, found by the store in the statement that records the event.
 */

/**
 * A run ended (Bentley calls the run a synchronization job): `synchronizationId` is the run's id,
 * `result` its result with a lower-case first letter, as Bentley's example writes `success`.
 */
export function jobCompleted(run: { id: string; iModelId: string; connectionId: string }, result: string, at: string): WebhookEvent {
  return event(EventType.JobCompleted, run.iModelId, at, {
    synchronizationId: run.id,
    iModelId: run.iModelId,
    connectionId: run.connectionId,
    result: result.charAt(0).toLowerCase() + result.slice(1),
  });
}

/** A task's effect became a changeset of its iModel. Index as a string, as the iModels events type it. */
export function changesetCreated(changeset: Pick<Changeset, 'id' | 'index' | 'iModelId' | 'creatorId'>, at: string): WebhookEvent {
  return event(EventType.ChangesetCreated, changeset.iModelId, at, {
    imodelId: changeset.iModelId,
    changesetId: changeset.id,
    changesetIndex: String(changeset.index),
    briefcaseId: '2',
    userId: changeset.creatorId,
  });
}

export function namedVersionCreated(version: NamedVersion, at: string): WebhookEvent {
  return event(EventType.NamedVersionCreated, version.iModelId, at, {
    imodelId: version.iModelId,
    versionId: version.id,
    versionName: version.name,
    changesetId: version.changesetId ?? '',
    changesetIndex: String(version.changesetIndex),
    userId: version.creatorId,
  });
}

function event(eventType: EventType, iModelId: string, enqueuedAt: string, content: Record<string, unknown>): WebhookEvent {
  return { messageId: newGuid(), eventType, iModelId, content, enqueuedAt };
}
