import type { Server } from 'node:http';
import net from 'node:net';

/**
 * A listener that gives each connection it accepts to the HTTP server, as if that server had
 * accepted it. `on` is what to listen on: a copy of the listening socket, or listen options.
 */
export async function handingOverTo(http: Server, on: net.Server | net.ListenOptions): Promise<net.Server> {
  // The options node's HTTP server gives its own net.Server: half-open sockets (a client may close
  // its side after the request and still be answered), no Nagle delay.
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => http.emit('connection', socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(on, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Errors while accepting (too many open files, say) are the HTTP server's, as on its own socket.
  server.on('error', (error) => http.emit('error', error));
  return server;
}

/**
 * Stops listeners accepting, at once. Their connections belong to the HTTP server, which ends them
 * when it closes: waiting here for them to end (net.Server's close callback) would wait for every
 * keep-alive connection before the HTTP server was even told to close.
 */
export function stopAll(servers: readonly net.Server[]): () => Promise<void> {
  return async () => {
    for (const server of servers) server.close();
  };
}
