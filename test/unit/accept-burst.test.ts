import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { describe, it } from 'node:test';
import { acceptInBursts } from '../../src/http/accept-burst.js';

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function get(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ port, host: '127.0.0.1', path: '/', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
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

describe('accepting connections in bursts', () => {
  it('serves requests on connections taken by every copy of the listening socket', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    const port = await listen(server);
    const close = await acceptInBursts(server, 4, (error) => assert.fail(String(error)));
    try {
      const statuses = await Promise.all(Array.from({ length: 40 }, () => get(port)));
      assert.deepEqual(new Set(statuses), new Set([200]));
    } finally {
      await close();
      await new Promise((resolve) => server.close(resolve));
    }
    await assert.rejects(get(port), /ECONNREFUSED/);
  });

  it('gives connections the options of the server\'s own: half-open sockets stay writable when the server allows it', async () => {
    const server = http.createServer((_req, res) => setTimeout(() => res.end('answered'), 5));
    // A client may close its side after the request and still be answered: node:http allows it
    // only on sockets that are half-open, as its own accepted sockets are.
    (server as http.Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
    const port = await listen(server);
    const close = await acceptInBursts(server, 8, (error) => assert.fail(String(error)));
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
    const singlePort = await listen(single);
    const many = http.createServer((_req, res) => res.end());
    const manyPort = await listen(many);
    const close = await acceptInBursts(many, 8, (error) => assert.fail(String(error)));
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
    const close = await acceptInBursts(server, 8, (error) => assert.fail(String(error)));
    await close();
    const port = await listen(server);
    const closeOne = await acceptInBursts(server, 1, (error) => assert.fail(String(error)));
    await closeOne();
    assert.equal(await get(port).catch(() => 0), 200);
    await new Promise((resolve) => server.close(resolve));
  });
});
