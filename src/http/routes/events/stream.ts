import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../../../domain/caller.js';
import { errors } from '../../../domain/errors.js';
import type { StateChange } from '../../../domain/runs/state-changes.js';
import type { App, AppContext } from '../../context.js';
import { SharedPoller } from './shared-poller.js';

/** What one stream follows: a thing read once per turn for all its streams, told to each in its own words. */
export interface Followed<T> {
  /** Names the thing: streams with the same key share one read (`run:<id>`, `imodel:<id>`). */
  key: string;
  /** Makes the shared read (called once per poller: it may keep state across turns). */
  reader: () => () => Promise<T>;
  /** This stream's changes in a read (`seen` is the stream's own), and whether the stream is over. */
  changes: (seen: Map<string, string>, value: T) => { changes: StateChange[]; done: boolean };
  /** Whether the caller may still see it: checked again every EVENT_STREAM_RECHECK_MS. */
  stillAllowed: () => Promise<boolean>;
}

/** The streams an app holds open, by caller, and the pollers they share. */
interface Streams {
  ends: Set<() => void>;
  byCaller: Map<string, number>;
  pollers: Map<string, SharedPoller<unknown>>;
}

const openStreams = new WeakMap<App, Streams>();

/**
 * Ends every open stream as the app starts closing (preClose): a stream never ends by itself, and
 * the server would otherwise wait for it until the grace period is over.
 */
export function registerStreamShutdown(app: App): void {
  const streams: Streams = { ends: new Set(), byCaller: new Map(), pollers: new Map() };
  openStreams.set(app, streams);
  app.addHook('preClose', (done) => {
    for (const end of [...streams.ends]) end();
    done();
  });
}

/**
 * Answers `text/event-stream` and writes each state change as an event (`event:` its kind, `id:` a
 * number counting from 1, `data:` its JSON). What it follows is read from the store every
 * EVENT_STREAM_POLL_MS by a poller all its streams share: the state lives in the store, so a stream
 * sees the changes of every process sharing it, with no broker. A comment line every
 * EVENT_STREAM_HEARTBEAT_MS keeps an idle connection open through proxies. The stream ends when
 * `changes` says so, when the client goes, when the app closes, when the caller's token expires,
 * or when the caller may no longer see what it follows. A caller beyond EVENT_STREAM_MAX_PER_CALLER
 * open streams, or any beyond EVENT_STREAM_MAX in this process, gets 429 and no stream.
 */
export async function stream<T>(app: App, ctx: AppContext, request: FastifyRequest, reply: FastifyReply, caller: Caller, followed: Followed<T>): Promise<void> {
  const { streamPollMs, streamHeartbeatMs, streamMax, streamMaxPerCaller, streamRecheckMs } = ctx.config.events;
  const streams = openStreams.get(app)!;
  // Counted before the answer starts, so that a refusal is an ordinary error answer.
  const mine = streams.byCaller.get(caller.subject) ?? 0;
  if (streams.ends.size >= streamMax) throw errors.tooManyEventStreams(streamMax, 'server');
  if (mine >= streamMaxPerCaller) throw errors.tooManyEventStreams(streamMaxPerCaller, 'caller');
  streams.byCaller.set(caller.subject, mine + 1);

  let poller = streams.pollers.get(followed.key) as SharedPoller<T> | undefined;
  if (!poller) {
    const key = followed.key;
    const made: SharedPoller<T> = new SharedPoller(followed.reader(), streamPollMs, app.log, () => {
      if (streams.pollers.get(key) === made) streams.pollers.delete(key);
    });
    poller = made;
    streams.pollers.set(key, made as SharedPoller<unknown>);
  }
  poller.follow();

  const res = reply.raw;
  reply.hijack();
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  const ending = new AbortController();
  const end = () => {
    if (ending.signal.aborted) return;
    ending.abort();
    streams.ends.delete(end);
    const left = (streams.byCaller.get(caller.subject) ?? 1) - 1;
    if (left > 0) streams.byCaller.set(caller.subject, left);
    else streams.byCaller.delete(caller.subject);
    poller.unfollow();
    res.off('close', end);
    res.end();
  };
  streams.ends.add(end);
  // The response's close comes when the client goes (its socket closes) as well as when we end it.
  res.on('close', end);

  const seen = new Map<string, string>();
  let sequence = 0;
  let version = 0;
  let lastWriteMs = Date.now();
  let recheckAtMs = Date.now() + streamRecheckMs;
  const expiresAtMs = caller.expiresAtMs ?? Number.POSITIVE_INFINITY;
  while (!ending.signal.aborted) {
    const now = Date.now();
    if (now >= expiresAtMs) break;
    const waitMs = Math.max(1, Math.min(streamHeartbeatMs - (now - lastWriteMs), recheckAtMs - now, expiresAtMs - now));
    const snapshot = await poller.next(version, waitMs, ending.signal);
    if (ending.signal.aborted) break;
    if (snapshot) {
      version = snapshot.version;
      const outcome = followed.changes(seen, snapshot.value);
      for (const change of outcome.changes) {
        res.write(`id: ${++sequence}\nevent: ${change.kind}\ndata: ${JSON.stringify(change)}\n\n`);
        lastWriteMs = Date.now();
      }
      if (outcome.done) break;
    }
    if (Date.now() - lastWriteMs >= streamHeartbeatMs) {
      res.write(': heartbeat\n\n');
      lastWriteMs = Date.now();
    }
    if (Date.now() >= recheckAtMs) {
      recheckAtMs = Date.now() + streamRecheckMs;
      let allowed = true;
      try {
        allowed = await followed.stillAllowed();
      } catch (error) {
        // The store away for a moment is no verdict on the caller: checked again next time.
        request.log.warn({ err: error }, 'an event stream could not check its caller again');
      }
      if (!allowed) break;
    }
  }
  end();
}
