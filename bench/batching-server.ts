import http from 'node:http';

/**
 * For checking a load generator's tail against a server that answers in batches, as twinsync does
 * (group commit), with nothing else of twinsync: `PORT=18100 node --import tsx bench/batching-server.ts`, load it
 * (wrk, autocannon, bench/latency-client.ts; any body, any path), stop it with Ctrl-C or
 * SIGTERM, and it prints its own view: the span of each request (request event to response handed to
 * the kernel) and the gap on each connection between a response and the next request, both after the
 * first WARMUP_MS. No client can see a latency above the gap before a request plus its span plus the gap
 * after it (the next request is only sent after the response).
 */
const port = Number(process.env.PORT ?? 18100);
/** Busy work per batch of 50 requests (ms), standing in for the store. */
const burnMs = Number(process.env.BURN_MS ?? 15);
const WARMUP_MS = 3000;
const body = JSON.stringify({ connection: { id: 'A'.repeat(43), displayName: 'bench' } }).padEnd(800);
const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };

const pending: { res: http.ServerResponse; start: number; port: number }[] = [];
const lastEnd = new Map<number, number>();
const spans: number[] = [];
const gaps: number[] = [];
const startedAt = performance.now();
const measuring = () => performance.now() - startedAt > WARMUP_MS;

let scheduled = false;
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    const batch = pending.splice(0);
    const until = performance.now() + (burnMs * batch.length) / 50;
    while (performance.now() < until);
    for (const { res, start, port: remote } of batch) {
      res.writeHead(201, headers).end(body);
      const end = performance.now();
      lastEnd.set(remote, end);
      if (measuring()) spans.push(end - start);
    }
  });
}

http
  .createServer((req, res) => {
    const start = performance.now();
    const remote = req.socket.remotePort ?? 0;
    const previous = lastEnd.get(remote);
    if (measuring() && previous !== undefined) gaps.push(start - previous);
    req.resume();
    req.on('end', () => {
      pending.push({ res, start, port: remote });
      schedule();
    });
  })
  .listen(port, '127.0.0.1');

function summary(name: string, values: number[]): string {
  values.sort((a, b) => a - b);
  const at = (p: number) => (values[Math.min(values.length - 1, Math.floor(values.length * p))] ?? NaN).toFixed(1);
  return `${name} p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.stdout.write(`${summary('span', spans)}; ${summary('gap', gaps)}\n`);
    process.exit(0);
  });
}
