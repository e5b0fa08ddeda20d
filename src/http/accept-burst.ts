import { fork } from 'node:child_process';
import type { Server } from 'node:http';
import net from 'node:net';

/**
 * Node 20 accepts one new connection per turn of its event loop (libuv 1.45 stopped accepting in a
 * loop: libuv pull request 3696). Under load a turn takes 10 to 25 ms, so when a client opens many
 * connections at once (wrk opens 50), the last of them waits 50 turns, up to 0.7 s, for its first
 * answer (docs/performance.md).
 *
 * Each descriptor of the listening socket is one accept per turn. Node has no dup(), but a
 * descriptor sent to another process and back over IPC arrives as a new one: a short-lived child
 * (socket-twin.cjs) hands the listening socket back `handles - 1` times, and each copy gets a
 * net.Server of its own that gives its connections to the HTTP server, as if it had accepted them.
 * All copies are one socket: one port, one queue. Node 22.12's `reusePort` would make this unneeded.
 *
 * Returns what stops the copies accepting (before the HTTP server closes). If the copies cannot be made, the
 * server goes on with its own descriptor and `onFailure` hears why.
 */
export async function acceptInBursts(http: Server, handles: number, onFailure: (error: unknown) => void): Promise<() => Promise<void>> {
  const servers: net.Server[] = [];
  // Stops the copies accepting, at once. Their connections belong to the HTTP server, which ends
  // them when it closes: waiting here for them to end (net.Server's close callback) would wait for
  // every keep-alive connection before the HTTP server was even told to close.
  const closeAll = async () => {
    for (const server of servers) server.close();
  };
  const listening = (http as unknown as { _handle?: net.Server })._handle;
  if (handles <= 1 || !listening) return closeAll;
  let child: ReturnType<typeof fork> | undefined;
  try {
    child = fork(new URL('./socket-twin.cjs', import.meta.url), [], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    for (let i = 1; i < handles; i++) {
      const copy = await twinOf(child, listening);
      // The options node's HTTP server gives its own net.Server: half-open sockets (a client may
      // close its side after the request and still be answered), no Nagle delay.
      const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => http.emit('connection', socket));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(copy, () => {
          server.off('error', reject);
          resolve();
        });
      });
      // Errors while accepting (too many open files, say) are the HTTP server's, as on its own socket.
      server.on('error', (error) => http.emit('error', error));
      servers.push(server);
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
