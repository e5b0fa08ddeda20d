import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { acceptStrategy, offersReusePort } from '../../src/http/listening/accept-strategy.js';
import { listenOnDescriptorCopies } from '../../src/http/listening/descriptor-copies.js';
import { listen } from '../../src/http/listening/listen.js';
import { freePort, listenOnReusedPort } from '../../src/http/listening/reuse-port.js';

function listenAnywhere(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function get(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ port, host: '127.0.0.1', path: '/', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

/**
 * Opens `count` connections while the event loop is held (so all of them wait in the accept queue),
 * then counts the turns of the loop until the server has seen every one.
 */
async function turnsToAccept(server: http.Server, port: number, count: number): Promise<number> {
  let turns = 0;
  let accepted = 0;
  let lastTurn = 0;
  const onConnection = () => {
    accepted++;
    lastTurn = turns;
  };
  server.on('connection', onConnection);
  const sockets = Array.from({ length: count }, () => net.connect(port, '127.0.0.1').on('error', () => undefined));
  const until = performance.now() + 100;
  while (performance.now() < until);
  await new Promise<void>((resolve) => {
    const turn = () => {
      turns++;
      if (accepted >= count || turns > 10 * count) resolve();
      else setImmediate(turn);
    };
    setImmediate(turn);
  });
  server.off('connection', onConnection);
  for (const socket of sockets) socket.destroy();
  assert.equal(accepted, count);
  return lastTurn;
}

describe('descriptor copies of the listening socket (Node versions without reusePort)', () => {
  it('serves requests on connections taken by every copy of the listening socket', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    const port = await listenAnywhere(server);
    const close = await listenOnDescriptorCopies(server, 4, (error: unknown) => assert.fail(String(error)));
    try {
      const statuses = await Promise.all(Array.from({ length: 40 }, () => get(port)));
      assert.deepEqual(new Set(statuses), new Set([200]));
    } finally {
      await close();
      await new Promise((resolve) => server.close(resolve));
    }
    await assert.rejects(get(port), /ECONNREFUSED/);
  });

  it("gives connections the options of the server's own: half-open sockets stay writable when the server allows it", async () => {
    const server = http.createServer((_req, res) => setTimeout(() => res.end('answered'), 5));
    // A client may close its side after the request and still be answered: node:http allows it
    // only on sockets that are half-open, as its own accepted sockets are.
    (server as http.Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
    const port = await listenAnywhere(server);
    const close = await listenOnDescriptorCopies(server, 8, (error: unknown) => assert.fail(String(error)));
    try {
      const replies = await Promise.all(
        Array.from({ length: 24 }, () => {
          return new Promise<string>((resolve, reject) => {
            let data = '';
            const socket = net.connect(port, '127.0.0.1', () => socket.end('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
            socket.on('data', (chunk) => (data += chunk));
            socket.on('close', () => resolve(data));
            socket.on('error', reject);
          });
        }),
      );
      for (const reply of replies) assert.match(reply, /^HTTP\/1\.1 200[\s\S]*answered$/);
    } finally {
      await close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('takes a burst of queued connections in a few turns of the event loop instead of one turn each', async () => {
    const single = http.createServer((_req, res) => res.end());
    const singlePort = await listenAnywhere(single);
    const many = http.createServer((_req, res) => res.end());
    const manyPort = await listenAnywhere(many);
    const close = await listenOnDescriptorCopies(many, 8, (error: unknown) => assert.fail(String(error)));
    try {
      const one = await turnsToAccept(single, singlePort, 40);
      const eight = await turnsToAccept(many, manyPort, 40);
      assert.ok(one >= 30, `one descriptor: ${one} turns`);
      assert.ok(eight <= one / 3, `eight descriptors: ${eight} turns against ${one}`);
    } finally {
      await close();
      for (const server of [single, many]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    }
  });

  it('with one handle, or no listening socket, makes no copies', async () => {
    const server = http.createServer((_req, res) => res.end());
    const close = await listenOnDescriptorCopies(server, 8, (error: unknown) => assert.fail(String(error)));
    await close();
    const port = await listenAnywhere(server);
    const closeOne = await listenOnDescriptorCopies(server, 1, (error: unknown) => assert.fail(String(error)));
    await closeOne();
    assert.equal(await get(port).catch(() => 0), 200);
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('the accept strategy: which extra listeners this Node makes', () => {
  it('reads reusePort from the Node version: 22.12 and 23.1 added it', () => {
    for (const version of ['20.19.0', '20.20.2', '21.7.3', '22.0.0', '22.11.0', '23.0.0']) assert.equal(offersReusePort(version), false, version);
    for (const version of ['22.12.0', '22.23.5', '23.1.0', '23.11.1', '24.0.0', '26.1.0', 'v24.3.0']) assert.equal(offersReusePort(version), true, version);
  });

  it('copies descriptors on Node 20, uses reusePort where Node offers it, and never forks then', () => {
    assert.equal(acceptStrategy(8, '20.19.0', 'linux'), 'descriptor-copies');
    assert.equal(acceptStrategy(8, '22.11.0', 'darwin'), 'descriptor-copies');
    assert.equal(acceptStrategy(8, '22.12.0', 'linux'), 'reuse-port');
    assert.equal(acceptStrategy(8, '24.0.0', 'freebsd'), 'reuse-port');
    // Where the kernel would not spread connections over the sockets: Node's own listener alone.
    assert.equal(acceptStrategy(8, '24.0.0', 'darwin'), 'one-listener');
    assert.equal(acceptStrategy(8, '24.0.0', 'win32'), 'one-listener');
  });

  it('with ACCEPT_HANDLES=1, one listener whatever the version', () => {
    for (const version of ['20.19.0', '24.0.0']) assert.equal(acceptStrategy(1, version, 'linux'), 'one-listener');
  });
});

const reusePortHere = offersReusePort(process.versions.node) && process.platform === 'linux';

describe('listeners sharing the port with reusePort', {
  skip: reusePortHere ? false : `Node ${process.versions.node} on ${process.platform} has no reusePort`,
}, () => {
  it('takes a burst of queued connections in a few turns, every listener handing over to the HTTP server', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    const port = await new Promise<number>((resolve) =>
      server.listen({ port: 0, host: '127.0.0.1', reusePort: true } as net.ListenOptions, () => resolve((server.address() as AddressInfo).port)),
    );
    const close = await listenOnReusedPort(server, 8, (error: unknown) => assert.fail(String(error)));
    try {
      const statuses = await Promise.all(Array.from({ length: 40 }, () => get(port)));
      assert.deepEqual(new Set(statuses), new Set([200]));
      const turns = await turnsToAccept(server, port, 40);
      assert.ok(turns <= 40 / 3, `eight listeners: ${turns} turns for 40 connections`);
    } finally {
      await close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a port another program holds with reusePort is still "in use" (EADDRINUSE from listen), not shared', async () => {
    const other = net.createServer();
    const port = await new Promise<number>((resolve) =>
      other.listen({ port: 0, host: '127.0.0.1', reusePort: true } as net.ListenOptions, () => resolve((other.address() as AddressInfo).port)),
    );
    try {
      await assert.rejects(freePort(port, '127.0.0.1'), (error: NodeJS.ErrnoException) => error.code === 'EADDRINUSE' && error.syscall === 'listen');
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});

describe('listen: the one entry the server calls', () => {
  for (const handles of [1, 8]) {
    it(`with ACCEPT_HANDLES=${handles} the app answers on its address and closes cleanly`, async () => {
      const app = Fastify();
      app.get('/', async () => 'ok');
      const warnings: unknown[] = [];
      app.log.warn = ((...args: unknown[]) => void warnings.push(args)) as typeof app.log.warn;
      const { address, stopAccepting } = await listen(app, { port: 0, host: '127.0.0.1', acceptHandles: handles });
      const port = Number(new URL(address).port);
      try {
        const statuses = await Promise.all(Array.from({ length: 20 }, () => get(port)));
        assert.deepEqual(new Set(statuses), new Set([200]));
        assert.deepEqual(warnings, []);
      } finally {
        await stopAccepting();
        await app.close();
      }
      // Nothing answers any more: refused, or (a connection that reached one of several listening
      // sockets' backlogs as it closed, seen once in CI with 8 of them) reset.
      await assert.rejects(get(port), /ECONNREFUSED|ECONNRESET/);
    });
  }
});
