import { fork } from 'node:child_process';
import type { Server } from 'node:http';
import type net from 'node:net';
import { handingOverTo, stopAll } from './hand-over.js';

/**
 * Extra listeners on Node versions without `reusePort` (Node 20): copies of the listening socket's
 * descriptor, each one more accept per event-loop turn (listen.ts says why that matters).
 *
 * Node has no dup(), but a descriptor sent to another process and back over IPC arrives as a new
 * one: a short-lived child (socket-twin.cjs) hands the listening socket back `handles - 1` times,
 * and each copy gets a net.Server of its own that gives its connections to the HTTP server, as if
 * it had accepted them. All copies are one socket: one port, one queue.
 *
 * Returns what stops the copies accepting (before the HTTP server closes). If the copies cannot be
 * made, the server goes on with its own descriptor and `onFailure` hears why.
 */
export async function listenOnDescriptorCopies(http: Server, handles: number, onFailure: (error: unknown) => void): Promise<() => Promise<void>> {
  const servers: net.Server[] = [];
  const closeAll = stopAll(servers);
  const listening = (http as unknown as { _handle?: net.Server })._handle;
  if (handles <= 1 || !listening) return closeAll;
  let child: ReturnType<typeof fork> | undefined;
  try {
    child = fork(new URL('./socket-twin.cjs', import.meta.url), [], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    for (let i = 1; i < handles; i++) {
      servers.push(await handingOverTo(http, await twinOf(child, listening)));
    }
  } catch (error) {
    await closeAll();
    servers.length = 0;
    onFailure(error);
  } finally {
    if (child?.connected) child.disconnect();
    child?.kill();
  }
  return closeAll;
}

/** The listening socket, back from the child as a new descriptor. */
function twinOf(child: ReturnType<typeof fork>, listening: net.Server): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error('no copy of the listening socket within 5 s')), 5000);
    const onMessage = (_message: unknown, handle: unknown) => (handle ? done(undefined, handle as net.Server) : undefined);
    const onExit = () => done(new Error('the process copying the listening socket exited'));
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.once('error', done);
    child.send('twin', listening, (error) => error && done(error));
    function done(error?: Error | null, handle?: net.Server) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', done);
      if (handle) resolve(handle);
      else reject(error ?? new Error('no copy of the listening socket'));
    }
  });
}
