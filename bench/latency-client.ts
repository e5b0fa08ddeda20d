import net from 'node:net';
import { parseArgs } from 'node:util';

/**
 * A plain load generator for cross-checking another one's latency figures: `npx tsx
 * bench/latency-client.ts --port 18100 [--connections 50] [--seconds 8] [--path /]`. Each connection
 * sends one small JSON POST, waits for the whole response (by Content-Length), records the time
 * between the two with process.hrtime, and sends the next. Prints requests/s, p50, p99 and max.
 */
const { values } = parseArgs({
  options: { port: { type: 'string' }, connections: { type: 'string' }, seconds: { type: 'string' }, path: { type: 'string' } },
});
const port = Number(values.port ?? 18100);
const connections = Number(values.connections ?? 50);
const seconds = Number(values.seconds ?? 8);
const body = '{"a":1}';
const request = Buffer.from(
  `POST ${values.path ?? '/'} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
);

const latencies: number[] = [];
let stopping = false;
let open = connections;
setTimeout(() => (stopping = true), seconds * 1000);

for (let i = 0; i < connections; i++) {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  let buffered = Buffer.alloc(0);
  let sentAt = 0n;
  const send = () => {
    if (stopping) {
      socket.end();
      if (--open === 0) report();
      return;
    }
    sentAt = process.hrtime.bigint();
    socket.write(request);
  };
  socket.on('connect', send);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      const headerEnd = buffered.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/content-length: *(\d+)/i.exec(buffered.subarray(0, headerEnd).toString())?.[1] ?? NaN);
      if (!Number.isFinite(length)) throw new Error('responses need a Content-Length');
      if (buffered.length < headerEnd + 4 + length) return;
      buffered = buffered.subarray(headerEnd + 4 + length);
      latencies.push(Number(process.hrtime.bigint() - sentAt) / 1e6);
      send();
    }
  });
}

function report(): void {
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!.toFixed(1);
  process.stdout.write(`${latencies.length} requests, ${(latencies.length / seconds).toFixed(0)}/s, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms\n`);
}
