import type { Config } from '../../config.js';
import type { App } from '../context.js';
import { acceptStrategy } from './accept-strategy.js';
import { listenOnDescriptorCopies } from './descriptor-copies.js';
import { freePort, listenOnReusedPort } from './reuse-port.js';

export interface Listening {
  /** Where the app listens, as a URL. */
  readonly address: string;
  /** Stops the extra listeners accepting; call it before closing the app. */
  stopAccepting(): Promise<void>;
}

/**
 * Makes the app listen on PORT and HOST with ACCEPT_HANDLES accepts per event-loop turn. The rest of
 * the server knows only this function.
 *
 * Why more than one: since Node 20 (libuv 1.45, libuv pull request 3696) a listener accepts one new
 * connection per turn of the event loop, and Node 22 still does. Under load a turn takes 10 to 25 ms,
 * so when a client opens many connections at once (wrk opens 50) the last of them waits 50 turns, up
 * to 0.7 s, for its first answer (docs/performance.md). Each listener is one more accept per turn.
 * How the extra listeners are made depends on the Node version (accept-strategy.ts).
 */
export async function listen(app: App, config: Pick<Config, 'port' | 'host' | 'acceptHandles'>): Promise<Listening> {
  const { host, acceptHandles: handles } = config;
  const onFailure = (error: unknown) => app.log.warn({ err: error }, 'accepting one connection per turn: no extra listeners on the port');
  switch (acceptStrategy(handles, process.versions.node, process.platform)) {
    case 'one-listener':
      return { address: await app.listen({ port: config.port, host }), stopAccepting: async () => {} };
    case 'descriptor-copies': {
      const address = await app.listen({ port: config.port, host });
      return { address, stopAccepting: await listenOnDescriptorCopies(app.server, handles, onFailure) };
    }
    case 'reuse-port': {
      const port = await freePort(config.port, host);
      // reusePort is Node's option since 22.12 (the @types/node of Node 20 does not list it).
      const address = await app.listen({ port, host, reusePort: true } as { port: number; host: string });
      return { address, stopAccepting: await listenOnReusedPort(app.server, handles, onFailure) };
    }
  }
}
