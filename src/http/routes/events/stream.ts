import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StateChange } from '../../../domain/runs/state-changes.js';
import type { App, AppContext } from '../../context.js';

/** What a stream reads at each turn: the changes since the last one, and whether it is over. */
export type StreamRead = () => Promise<{ changes: StateChange[]; done: boolean }>;

/** The open streams of an app, ended when it closes. */
const openStreams = new WeakMap<App, Set<() => void>>();

/**
 * Ends every open stream as the app starts closing (preClose): a stream never ends by itself, and
 * the server would otherwise wait for it until the grace period is over.
 */
export function registerStreamShutdown(app: App): void {
  const streams = new Set<() => void>();
  openStreams.set(app, streams);
  app.addHook('preClose', (done) => {
    for (const end of [...streams]) end();
    done();
  });
}

/**
 * Answers `text/event-stream` and writes each state change as an event (`event:` its kind, `id:` a
 * number counting from 1, `data:` its JSON), reading the store every EVENT_STREAM_POLL_MS: the state
 * lives in the store, so a stream sees the changes of every process sharing it, with no broker. A
 * comment line every EVENT_STREAM_HEARTBEAT_MS keeps an idle connection open through proxies. The
 * stream ends when `read` says so, when the client goes, or when the app closes.
 */
export async function stream(app: App, ctx: AppContext, request: FastifyRequest, reply: FastifyReply, read: StreamRead): Promise<void> {
  const { streamPollMs, streamHeartbeatMs } = ctx.config.events;
  const res = reply.raw;
  reply.hijack();
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  let ended = false;
  let wake: (() => void) | undefined;
  const streams = openStreams.get(app);
  const end = () => {
    if (ended) return;
    ended = true;
    streams?.delete(end);
    wake?.();
    res.end();
  };
  streams?.add(end);
  request.raw.socket.on('close', end);
  res.on('close', end);
  let sequence = 0;
  let lastWriteMs = Date.now();
  while (!ended) {
    let outcome: Awaited<ReturnType<StreamRead>>;
    try {
      outcome = await read();
    } catch (error) {
      // A failed read (the database away for a moment) costs one turn, not the stream.
      request.log.warn({ err: error }, 'an event stream could not read the state it follows');
      outcome = { changes: [], done: false };
    }
    if (ended) break;
    for (const change of outcome.changes) {
      res.write(`id: ${++sequence}\nevent: ${change.kind}\ndata: ${JSON.stringify(change)}\n\n`);
      lastWriteMs = Date.now();
    }
    if (outcome.done) break;
    if (Date.now() - lastWriteMs >= streamHeartbeatMs) {
      res.write(': heartbeat\n\n');
      lastWriteMs = Date.now();
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(streamPollMs, streamHeartbeatMs));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = undefined;
  }
  end();
}
