import type { Server } from 'node:http';
import net from 'node:net';
import { handingOverTo, stopAll } from './hand-over.js';

/**
 * Whether another program listens on `port` of `host`, and which port `0` stands for. Sockets bound
 * with `reusePort` share a port with any other socket of the same user that sets it too, so a
 * second twinsync on the same PORT would silently take half the connections instead of failing:
 * binding once without the option first keeps "port already in use" a start-up error (an
 * `EADDRINUSE` from listen, as start-errors.ts reads it).
 */
export async function freePort(port: number, host: string): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen({ port, host }, () => resolve());
  });
  const bound = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return bound;
}

/**
 * `handles - 1` more listeners on the port the HTTP server listens on with `reusePort`, each
 * handing its connections over to it. Unlike the descriptor copies these are separate sockets,
 * each with its own queue: closing one drops the connections still in its queue, which is why they
 * are closed only when the whole server closes. If one cannot be made the server goes on with
 * those it has and `onFailure` hears why.
 */
export async function listenOnReusedPort(http: Server, handles: number, onFailure: (error: unknown) => void): Promise<() => Promise<void>> {
  const servers: net.Server[] = [];
  const closeAll = stopAll(servers);
  const address = http.address();
  if (handles <= 1 || address === null || typeof address === 'string') return closeAll;
  try {
    for (let i = 1; i < handles; i++) {
      servers.push(await handingOverTo(http, { port: address.port, host: address.address, reusePort: true } as net.ListenOptions));
    }
  } catch (error) {
    onFailure(error);
  }
  return closeAll;
}
