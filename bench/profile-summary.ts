import fs from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * `npx tsx bench/profile-summary.ts FILE.cpuprofile [--last 9] [--top 40]`: where a V8 CPU profile
 * (from `npm run bench -- --cpu-prof`) spent its time, over its last `--last` seconds (the load,
 * without start-up): self time by function, self time by package (or by src/ file), and total
 * (inclusive) time of the functions that matter most.
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { last: { type: 'string' }, top: { type: 'string' } },
});
const file = positionals[0];
if (!file) throw new Error('usage: profile-summary FILE.cpuprofile [--last SECONDS] [--top N]');
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const top = Number(values.top ?? 40);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Sample times: startTime plus the running sum of deltas (microseconds).
const times: number[] = [];
let t = profile.startTime;
for (const d of profile.timeDeltas) times.push((t += d));
const from = values.last ? profile.endTime - Number(values.last) * 1e6 : profile.startTime;

function where(n: Node): string {
  const url = n.callFrame.url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const src = /\/(src\/.*|bench\/.*)$/.exec(url)?.[1];
  if (src) return src;
  if (url.startsWith('node:')) return url;
  return url === '' ? `(${n.callFrame.functionName || 'native'})` : url;
}
function label(n: Node): string {
  return `${n.callFrame.functionName || '(anonymous)'} ${where(n)}:${n.callFrame.lineNumber + 1}`;
}

const self = new Map<string, number>();
const selfWhere = new Map<string, number>();
const total = new Map<string, number>();
let counted = 0;
for (let i = 0; i < profile.samples.length; i++) {
  if (times[i]! < from) continue;
  const dt = profile.timeDeltas[i + 1] ?? 0;
  const leaf = byId.get(profile.samples[i]!)!;
  counted += dt;
  self.set(label(leaf), (self.get(label(leaf)) ?? 0) + dt);
  selfWhere.set(where(leaf), (selfWhere.get(where(leaf)) ?? 0) + dt);
  // Inclusive: every distinct frame on the stack, once.
  const seen = new Set<string>();
  for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
    const l = label(byId.get(id)!);
    if (!seen.has(l)) total.set(l, (total.get(l) ?? 0) + dt);
    seen.add(l);
  }
}

function print(title: string, map: Map<string, number>, n: number): void {
  process.stdout.write(`\n${title}\n`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    process.stdout.write(`${((100 * v) / counted).toFixed(1).padStart(5)}%  ${k}\n`);
  }
}
process.stdout.write(`${(counted / 1e6).toFixed(2)} s of samples\n`);
print('self time by function', self, top);
print('self time by package or file', selfWhere, top);
print('total time by function', total, top);
