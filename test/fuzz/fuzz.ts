import http from 'node:http';
import net from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { errors } from '../../src/domain/errors.js';
import { operations } from '../../src/http/operations.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import type { StoreTarget } from '../helpers/stores.js';

/**
 * A property-based fuzzer driven by the served `/openapi.json`: every operation it lists gets
 * mutated requests (wrong types, missing and extra fields, huge and control-character strings, deep
 * nesting, hostile ids, bad paging, bad headers, oversized and malformed bodies), sent to a real
 * listening server on real fixtures (an iTwin with a folder, files, an iModel, a connection with a
 * source file and a run), valid tokens and bad ones. Most requests go over keep-alive HTTP; 15 in
 * 100 (about one in seven) are written byte for byte on a raw socket, so that answers of Node's own
 * HTTP parser (bad framing, oversized headers, control characters) are checked too.
 *
 * The property: no 5xx; every 4xx in the error shape `{"error":{"code","message"}}` with a code the
 * service documents, and without the URL's or headers' junk echoed back; 401s carry a challenge.
 * Afterwards the server still answers, and its object heap after a full collection grew by less
 * than a bound between the end of a warm-up and the end of the run (see `DEFAULT_HEAP_BOUND`).
 */

export interface FuzzOptions {
  target: StoreTarget;
  requests: number;
  seed: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Heap growth allowed after the warm-up, in bytes (after a full collection at both ends). */
  heapBound?: number;
  /** Requests sent before the heap is first measured (default 3,000, at most 30% of the run). */
  warmup?: number;
  log?: (line: string) => void;
}

export interface FuzzReport {
  store: string;
  seed: number;
  sent: number;
  statuses: Record<string, number>;
  /** Answers by status and error code (`422 InvalidiTwinsRequest`, `200`). */
  answers: Record<string, number>;
  /** A few requests that got each kind of answer. */
  samples: Record<string, string[]>;
  serverErrors: string[];
  outOfShape: string[];
  alive: boolean;
  /** Object heap after a full collection at the end, minus the same after the warm-up, in bytes. */
  heapGrowth: number;
  heapBound: number;
  /** Requests sent between the two heap measurements. */
  heapRequests: number;
  /** Operations from /openapi.json, and how many requests each got. */
  perOperation: Record<string, number>;
}

/**
 * Growth of the object heap allowed between the end of the warm-up and the end of a run, both
 * measured after a full collection. Measured on a 2-core machine: the object heap grows ~5 MiB in
 * the first 3,000 requests (schemas, serializers, caches filling), then stays level; over the 7,000
 * requests after that, runs of `npm test` grew by -3.5 to +0.9 MiB (V8 dropping the bytecode of
 * start-up code makes it fall), and 30,000-request runs stayed within 1 MiB (SQLite) and 2 MiB
 * (PostgreSQL, flattening). 4 MiB is above that noise; a leak of 1 KiB per request made tried in
 * a run grew it by 8 MiB, 2 KiB by 15 MiB: a leak of a few KiB per request fails however the noise falls.
 */
export const DEFAULT_HEAP_BOUND = 4 * 1024 * 1024;

/** A marker put into junk of URLs and headers: an answer that contains it echoes the request. */
const MARK = 'zqx7echo';

/** Codes the service documents (src/domain/errors.ts; docs/decisions.md for the framework's). */
export function documentedCodes(): Set<string> {
  const codes = new Set<string>();
  for (const make of Object.values(errors) as ((...args: never[]) => { code: string })[]) {
    codes.add((make as (...args: unknown[]) => { code: string })([], 'x', 'y').code);
  }
  return codes;
}

interface SpecOperation {
  method: string;
  path: string; // OpenAPI form, /x/{id}
  pathParams: string[];
  queryParams: { name: string; required: boolean; schema: Schema }[];
  body?: { type: string; schema: Schema };
}

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  required?: string[];
  $ref?: string;
  anyOf?: Schema[];
  oneOf?: Schema[];
};

interface Fixtures {
  ids: Record<string, string[]>;
  /** Ids only DELETE may use: deleting the shared ones would leave later requests nothing real. */
  victims: Record<string, string[]>;
  tokens: { alice: string; bob: string; readOnly: string; expired: string; wrongAudience: string };
}

interface FuzzRequest {
  op: SpecOperation;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Written on a raw socket, byte for byte. */
  raw?: Buffer;
  label: string;
}

interface FuzzAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const log = options.log ?? (() => {});
  const heapBound = options.heapBound ?? DEFAULT_HEAP_BOUND;
  // The first requests compile schemas and serializers and fill bounded caches: growth paid once.
  const warmup = Math.min(options.warmup ?? 3_000, Math.floor(options.requests * 0.3));
  const h = await createHarness(options.target, { RATE_LIMIT_MAX: '1000000000', LOG_LEVEL: 'silent' });
  const report: FuzzReport = {
    store: options.target.name,
    seed: options.seed,
    sent: 0,
    statuses: {},
    answers: {},
    samples: {},
    serverErrors: [],
    outOfShape: [],
    alive: false,
    heapGrowth: 0,
    heapBound,
    heapRequests: 0,
    perOperation: {},
  };
  try {
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (h.app.server.address() as net.AddressInfo).port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency ?? 4 });
    const send = (request: FuzzRequest) => (request.raw ? sendRaw(port, request.raw) : sendHttp(port, agent, request));

    const spec = await readSpec(port, agent);
    const fixtures = await makeFixtures(h);
    const codes = documentedCodes();
    log(`[${options.target.name}] ${spec.length} operations from /openapi.json; seed ${options.seed}`);

    let heapBefore: number | undefined;
    let sentBefore = 0;
    const arbitrary = requestArbitrary(spec, fixtures, h.config.bodyLimit);
    const chunk = 250;
    let refreshVictims = false;
    for (let start = 0; start < options.requests; start += chunk) {
      if (heapBefore === undefined && start >= warmup) {
        heapBefore = await settledHeap();
        sentBefore = report.sent;
      }
      const batch = fc.sample(arbitrary, { numRuns: Math.min(chunk, options.requests - start), seed: options.seed + start });
      await pool(batch, options.concurrency ?? 4, async (request) => {
        const key = `${request.op.method} ${request.op.path}`;
        report.perOperation[key] = (report.perOperation[key] ?? 0) + 1;
        let answer: FuzzAnswer;
        try {
          answer = await send(request);
        } catch (error) {
          report.serverErrors.push(`no answer: ${describe(request)}: ${(error as Error).message}`);
          return;
        }
        report.sent++;
        const family = `${Math.floor(answer.status / 100)}xx`;
        report.statuses[family] = (report.statuses[family] ?? 0) + 1;
        const code = answer.status >= 400 ? (/"code":"(\w+)"/.exec(answer.body)?.[1] ?? '') : '';
        const answerKey = `${answer.status} ${code}`.trim();
        report.answers[answerKey] = (report.answers[answerKey] ?? 0) + 1;
        const samples = (report.samples[answerKey] ??= []);
        if (samples.length < 5 && Math.random() < 0.2) samples.push(describe(request));
        const problem = judge(request, answer, codes);
        if (problem?.kind === '5xx') report.serverErrors.push(`${problem.text}: ${describe(request)}`);
        else if (problem) report.outOfShape.push(`${problem.text}: ${describe(request)}`);
        if (request.method === 'DELETE' && answer.status < 300) refreshVictims = true;
      });
      if (refreshVictims) {
        await refillVictims(h, fixtures);
        refreshVictims = false;
      }
      if ((start / chunk) % 8 === 7)
        log(`[${options.target.name}] ${report.sent} sent, ${report.serverErrors.length} 5xx, ${report.outOfShape.length} out of shape`);
    }
    agent.destroy();
    report.heapGrowth = heapBefore === undefined ? 0 : (await settledHeap()) - heapBefore;
    report.heapRequests = report.sent - sentBefore;

    const live = await sendHttp(port, new http.Agent(), {
      op: spec[0]!,
      method: 'GET',
      url: '/itwins',
      headers: { authorization: `Bearer ${fixtures.tokens.alice}` },
      label: 'alive',
    });
    report.alive = live.status === 200;
  } finally {
    await h.close();
  }
  return report;
}

/**
 * A real full collection. `globalThis.gc` exists only under `node --expose-gc`, which `npm test`
 * does not pass; setting the flag at run time and reading `gc` from a new context gives the same
 * function.
 */
const gc: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  })();

/**
 * The object heap once garbage is gone: collected twice, with a pause between for finalizers and
 * closing sockets. Compiled code is left out: the JIT keeps optimizing rarer paths for the whole
 * run (~0.5 MiB over 7,000 requests), which is not memory the service holds for its clients.
 */
async function settledHeap(): Promise<number> {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  return v8
    .getHeapSpaceStatistics()
    .filter((space) => !space.space_name.startsWith('code_'))
    .reduce((sum, space) => sum + space.space_used_size, 0);
}

function describe(request: FuzzRequest): string {
  const url = request.url.length > 160 ? `${request.url.slice(0, 160)}…(${request.url.length})` : request.url;
  const body = request.body
    ? ` body ${JSON.stringify(request.body.subarray(0, 120).toString('latin1'))}${request.body.length > 120 ? `…(${request.body.length})` : ''}`
    : '';
  return `${request.method} ${url} [${request.label}]${request.raw ? ' (raw socket)' : ''}${body}`;
}

/** What is wrong with an answer, if anything. */
function judge(request: FuzzRequest, answer: FuzzAnswer, codes: Set<string>): { kind: '5xx' | 'shape'; text: string } | undefined {
  const snippet = answer.body.slice(0, 200);
  if (answer.status >= 500) return { kind: '5xx', text: `${answer.status} ${snippet}` };
  if (answer.status < 400) return undefined;
  if (request.method === 'HEAD') return undefined;
  // The built-in issuer's OAuth endpoints answer in OAuth's own shape (RFC 6749 §4.1.2.1, §5.2),
  // which OAuth clients parse; docs/decisions.md says so.
  if (request.op.path.startsWith('/connect/') && answer.status === 400) {
    try {
      const body = JSON.parse(answer.body) as { error?: unknown; error_description?: unknown };
      if (typeof body.error === 'string' && typeof body.error_description === 'string') return undefined;
    } catch {
      /* judged below */
    }
  }
  const type = String(answer.headers['content-type'] ?? '');
  // The consent and sign-in pages show a person in a browser why a link failed (docs/decisions.md, docs/sign-in.md).
  const page = request.op.path === '/synchronization/consent' || request.op.path === '/connect/authorize';
  if (page && type.startsWith('text/html') && /text\/html/.test(request.headers.accept ?? '')) return undefined;
  if (!type.includes('application/json')) return { kind: 'shape', text: `${answer.status} not JSON (${type}): ${snippet}` };
  let error: { code?: unknown; message?: unknown } | undefined;
  try {
    error = (JSON.parse(answer.body) as { error?: typeof error }).error;
  } catch {
    return { kind: 'shape', text: `${answer.status} unparsable: ${snippet}` };
  }
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string')
    return { kind: 'shape', text: `${answer.status} not the error shape: ${snippet}` };
  if (!codes.has(error.code)) return { kind: 'shape', text: `${answer.status} undocumented code ${error.code}: ${snippet}` };
  if (answer.body.includes(MARK)) return { kind: 'shape', text: `${answer.status} echoes the request: ${snippet}` };
  if (answer.status === 401 && !answer.headers['www-authenticate']) return { kind: 'shape', text: `401 without WWW-Authenticate: ${snippet}` };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The spec and the fixtures

async function readSpec(port: number, agent: http.Agent): Promise<SpecOperation[]> {
  const answer = await sendHttp(port, agent, { op: undefined as never, method: 'GET', url: '/openapi.json', headers: {}, label: 'spec' });
  const doc = JSON.parse(answer.body) as {
    paths: Record<
      string,
      Record<
        string,
        { parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } }
      >
    >;
    components?: { schemas?: Record<string, Schema> };
  };
  const resolve = (schema: Schema | undefined): Schema => {
    if (schema?.$ref) return resolve(doc.components?.schemas?.[schema.$ref.split('/').pop()!]);
    return schema ?? {};
  };
  const spec: SpecOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const parameters = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const bodyType = Object.keys(content)[0];
      spec.push({
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, required: p.required ?? false, schema: resolve(p.schema) })),
        body: bodyType ? { type: bodyType, schema: deref(resolve(content[bodyType]!.schema), resolve) } : undefined,
      });
    }
  }
  // The table of operations and the document must agree, or some operation would go unfuzzed.
  const served = new Set(spec.map((o) => `${o.method} ${o.path.replace(/\{(\w+)\}/g, ':$1').toLowerCase()}`));
  for (const operation of Object.values(operations)) {
    if (!served.has(`${operation.method} ${operation.url.toLowerCase()}`) && operation.id !== 'openapi-document') {
      throw new Error(`operation ${operation.id} (${operation.method} ${operation.url}) is not in /openapi.json`);
    }
  }
  // Event streams (…/events) answer a valid request with a stream that stays open by design: fuzzing
  // them would wait on each; their refusals are tested in test/integration/event-streams.test.ts.
  return spec.filter((o) => !o.path.endsWith('/events'));
}

function deref(schema: Schema, resolve: (s: Schema | undefined) => Schema): Schema {
  const s = resolve(schema);
  return {
    ...s,
    properties: s.properties ? Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, deref(v, resolve)])) : undefined,
    items: s.items ? deref(s.items, resolve) : undefined,
  };
}

async function makeFixtures(h: Harness): Promise<Fixtures> {
  const alice = await h.token('alice');
  const fixtures: Fixtures = {
    ids: {},
    victims: {},
    tokens: {
      alice,
      bob: await h.token('bob'),
      readOnly: await h.token('alice', ['itwins:read']),
      expired: await h.signRaw({ sub: 'alice', iss: h.config.auth.issuer, aud: h.config.auth.audience, exp: 1, scope: 'itwin-platform' }),
      wrongAudience: await h.signRaw({
        sub: 'alice',
        iss: h.config.auth.issuer,
        aud: 'someone-else',
        exp: Math.floor(Date.now() / 1000) + 3600,
        scope: 'itwin-platform',
      }),
    },
  };
  const main = await fixtureSet(h, alice);
  const victims = await fixtureSet(h, alice);
  fixtures.ids = main;
  fixtures.victims = victims;
  return fixtures;
}

async function refillVictims(h: Harness, fixtures: Fixtures): Promise<void> {
  fixtures.victims = await fixtureSet(h, fixtures.tokens.alice);
}

/** An iTwin (with bob as a second member), a folder, two completed files, an iModel, a connection with a source file and a run. */
async function fixtureSet(h: Harness, token: string): Promise<Record<string, string[]>> {
  const itwin = await h.itwin('alice');
  const iModelId = await h.imodel(itwin, 'alice');
  const files = [await h.file(itwin, 'a.ifc', 'alice'), await h.file(itwin, 'b.dgn', 'alice')];
  // Over the real socket, as the fuzzed requests go.
  const port = (h.app.server.address() as net.AddressInfo).port;
  const inject = async (method: 'POST' | 'GET', url: string, payload?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json' } : {}) };
    const res = await sendHttp(port, new http.Agent(), {
      op: undefined as never,
      method,
      url,
      headers,
      body: payload ? Buffer.from(JSON.stringify(payload)) : undefined,
      label: 'fixture',
    });
    if (res.status >= 400) throw new Error(`fixture ${method} ${url}: ${res.status} ${res.body}`);
    return { headers: res.headers, json: () => JSON.parse(res.body) };
  };
  await inject('POST', `/accesscontrol/itwins/${itwin.id}/members`, { members: [{ userId: 'bob' }] });
  const folder = (await inject('POST', `/storage/folders/${itwin.rootFolderId}/folders`, { displayName: 'fuzz' })).json().folder.id as string;
  const connection = (
    await inject('POST', '/synchronization/imodels/storageconnections', { iModelId, sourceFiles: [{ storageFileId: files[0], connectorType: 'IFC' }] })
  ).json().connection.id as string;
  const sourceFile = (await inject('GET', `/synchronization/imodels/storageconnections/${connection}/sourcefiles`)).json().sourceFiles[0].id as string;
  const run = await inject('POST', `/synchronization/imodels/storageconnections/${connection}/run`);
  const runId =
    String(run.headers.location ?? '')
      .split('/')
      .pop() ?? '';
  const upload = (await inject('POST', `/storage/files/${files[1]}/updatecontent`)).json() as { _links?: { uploadUrl?: { href: string } } };
  const uploadQuery = new URL(upload._links?.uploadUrl?.href ?? 'http://x/').searchParams;
  return {
    iTwinId: [itwin.id],
    memberId: ['alice', 'bob'],
    iModelId: [iModelId],
    folderId: [itwin.rootFolderId, folder],
    fileId: files,
    connectionId: [connection],
    sourceFileId: [sourceFile],
    runId: [runId],
    storageFileId: files,
    imodelId: [iModelId],
    projectId: [itwin.id],
    parentId: [itwin.id],
    userId: ['bob', 'carol'],
    version: [uploadQuery.get('version') ?? '1'],
    expires: [uploadQuery.get('expires') ?? '0'],
    signature: [uploadQuery.get('signature') ?? ''],
  };
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const HOSTILE = [
  '..',
  '../..',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '%00',
  'a%00b',
  '%00%00',
  "'",
  "' OR '1'='1",
  '1; DROP TABLE itwins; --',
  '" OR ""="',
  '%27%20OR%201%3D1--',
  'NULL',
  'null',
  'undefined',
  '0',
  '-1',
  '1e309',
  'NaN',
  'true',
  '[]',
  '{}',
  '%7B%7D',
  '%25',
  '%',
  '%E0%A4%A',
  '%ZZ',
  '%C0%AF',
  '%ED%A0%80',
  '%EF%BF%BF',
  'é'.repeat(40),
  '😀'.repeat(30),
  '\u202e',
  ' ',
  '%20',
  '+',
  '%0D%0ASet-Cookie:x=1',
  '00000000-0000-0000-0000-000000000000',
  'A'.repeat(43),
  'A'.repeat(101),
  'a'.repeat(2000),
  '$where',
  '__proto__',
  'constructor',
  'prototype',
];

/** Characters that cannot stand in a request line are escaped; percent-escapes (meant, or malformed on purpose) and `/` stay. */
function urlSafe(value: string): string {
  return value.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%?]/gu, (c) => encodeURIComponent(c));
}

const urlJunk: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE.map(urlSafe)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }).map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '')) + MARK) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme-ascii' }).map((s) => encodeURIComponent(s) + MARK) },
  { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 90, max: 400 }), fc.constant(20_000)).map((n) => `${MARK}${'x'.repeat(n)}`) },
);

const pagingJunk = fc.constantFrom(
  '',
  '0',
  '-1',
  '1',
  '1000',
  '1001',
  '1.5',
  '1e3',
  'abc',
  '99999999999999999999',
  '1e309',
  '%00',
  '0x10',
  ' 5',
  '5 ',
  '+5',
  '--1',
  `${MARK}`,
);

/** A real id of the pool `pool()` returns when the value is generated (victims are replaced as they are deleted), or junk. */
function valueFor(name: string, pool: () => Record<string, string[]>): fc.Arbitrary<string> {
  const junk = name === '$top' || name === '$skip' ? pagingJunk : urlJunk;
  if (!pool()[name]?.length) return junk;
  const real = fc.nat().map((i) => {
    const list = pool()[name] ?? ['x'];
    return encodeURIComponent(list[i % list.length]!);
  });
  return fc.oneof({ weight: 3, arbitrary: real }, { weight: 2, arbitrary: junk });
}

/** A JSON value that roughly follows `schema`, with mutations: wrong types, huge and control strings, deep nesting, extra fields. */
function jsonFor(schema: Schema, name: string, pool: Record<string, string[]>, depth: number): fc.Arbitrary<unknown> {
  const real = pool[name];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const valid: fc.Arbitrary<unknown> =
    schema.enum && schema.enum.length > 0
      ? fc.oneof(
          fc.constantFrom(...schema.enum),
          fc.constantFrom(...schema.enum).map((v) => String(v).toLowerCase()),
        )
      : real
        ? fc.constantFrom(...real)
        : type === 'object' && depth < 4
          ? objectFor(schema, pool, depth + 1)
          : type === 'array' && depth < 4
            ? fc.array(jsonFor(schema.items ?? {}, name, pool, depth + 1), { maxLength: 3 })
            : type === 'integer' || type === 'number'
              ? fc.integer({ min: -5, max: 5000 })
              : type === 'boolean'
                ? fc.boolean()
                : fc.string({ maxLength: 30 });
  return fc.oneof({ weight: 8, arbitrary: valid }, { weight: 1, arbitrary: mutantJson });
}

const mutantJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 1e308, Number.MAX_SAFE_INTEGER + 2),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\ud800', '\u202e', '../../etc/passwd', "' OR 1=1 --", 'x'.repeat(300), 'y'.repeat(70_000)),
  fc.string({ maxLength: 50, unit: 'binary' }),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 4 }),
  fc.integer({ min: 20, max: 60 }).map((n) => nest(n)),
);

function nest(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

function objectFor(schema: Schema, pool: Record<string, string[]>, depth: number): fc.Arbitrary<unknown> {
  const properties = Object.entries(schema.properties ?? {});
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, sub] of properties) record[key] = jsonFor(sub, key, pool, depth);
  // Required properties are there, so that most bodies get past the first check; then one in four
  // loses a property and one in four gains junk ones.
  const required = (schema.required ?? []).filter((k) => k in record);
  const base = fc.record(record, { requiredKeys: required });
  const extra = fc.dictionary(fc.string({ maxLength: 12 }), mutantJson, { maxKeys: 3 });
  return fc.tuple(base, extra, fc.nat({ max: 7 })).map(([b, e, dice]) => {
    const value: Record<string, unknown> = dice === 0 ? { ...e, ...b } : { ...b };
    if (dice === 1) delete value[Object.keys(value)[0] ?? ''];
    return value;
  });
}

function bodyFor(op: SpecOperation, pool: Record<string, string[]>, bodyLimit: number): fc.Arbitrary<{ body?: Buffer; type?: string; label: string }> {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null');
  const schema = op.body?.schema ?? { type: 'object', properties: {} };
  const fromSchema = jsonFor(schema, 'body', pool, 0);
  const form = op.body?.type === 'application/x-www-form-urlencoded';
  const asForm = (value: unknown) =>
    Buffer.from(
      new URLSearchParams(
        Object.entries(typeof value === 'object' && value ? value : {}).map(([k, v]): [string, string] => [
          k,
          typeof v === 'string' ? v : (JSON.stringify(v) ?? ''),
        ]),
      ).toString(),
    );
  return fc.oneof(
    { weight: 8, arbitrary: fromSchema.map((v) => ({ body: form ? asForm(v) : json(v), type: op.body?.type ?? 'application/json', label: 'schema body' })) },
    { weight: 1, arbitrary: fc.constant({ label: 'no body' }) },
    { weight: 1, arbitrary: fromSchema.map((v) => ({ body: json(v), label: 'JSON without Content-Type' })) },
    { weight: 1, arbitrary: fromSchema.map((v) => ({ body: json(v), type: 'application/x-www-form-urlencoded', label: 'JSON sent as a form' })) },
    {
      weight: 2,
      arbitrary: fc.tuple(fromSchema, fc.nat()).map(([v, n]) => {
        const text = JSON.stringify(v) ?? '';
        return { body: Buffer.from(text.slice(0, n % (text.length + 1))), type: 'application/json', label: 'truncated JSON' };
      }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { body: Buffer.from('['.repeat(6000) + ']'.repeat(6000)), type: 'application/json', label: 'nesting 6000 deep' },
        { body: Buffer.from([0xff, 0xfe, 0xc0, 0x80, 0x7b]), type: 'application/json', label: 'invalid UTF-8' },
        { body: Buffer.from('{"a":1}'), type: 'application/json; charset=utf-16', label: 'odd charset' },
        { body: Buffer.from('<a/>'), type: 'application/xml', label: 'XML' },
        { body: Buffer.from('{"a":1}'), type: 'text/plain', label: 'text/plain' },
        { body: Buffer.from('{"a":1}'), type: 'application/json/x;;', label: 'malformed media type' },
        { body: Buffer.from('{"a":1}'), type: 'multipart/form-data; boundary=x', label: 'multipart without parts' },
        { body: Buffer.from(`{"displayName":"${'z'.repeat(bodyLimit)}"}`), type: 'application/json', label: 'over the body limit' },
        { body: Buffer.from('{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}'), type: 'application/json', label: 'prototype keys' },
      ),
    },
  );
}

function headersArbitrary(fixtures: Fixtures): fc.Arbitrary<{ headers: Record<string, string>; label: string }> {
  const t = fixtures.tokens;
  const authorization = fc.oneof(
    { weight: 12, arbitrary: fc.constant(`Bearer ${t.alice}`) },
    { weight: 2, arbitrary: fc.constant(`Bearer ${t.bob}`) },
    { weight: 1, arbitrary: fc.constant(`Bearer ${t.readOnly}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        `Bearer ${t.expired}`,
        `Bearer ${t.wrongAudience}`,
        `bearer ${t.alice}`,
        `Basic YTpi`,
        'Bearer',
        'Bearer ',
        `Bearer ${t.alice}x`,
        `Bearer ${MARK}.${MARK}.${MARK}`,
        `Bearer ${'a'.repeat(5000)}`,
        `Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.`,
      ),
    },
    { weight: 1, arbitrary: fc.constant('') },
  );
  const accept = fc.oneof(
    { weight: 6, arbitrary: fc.constant('') },
    {
      weight: 2,
      arbitrary: fc.constantFrom('application/json', 'application/vnd.bentley.itwin-platform.v1+json', 'application/vnd.bentley.itwin-platform.v2+json', '*/*'),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('text/html', ',,;q=x', 'application/vnd.bentley.itwin-platform.v99+json', `${MARK}/x`, 'application/json;q=0', '*/*;q=abc'),
    },
  );
  const extra = fc.oneof(
    { weight: 8, arbitrary: fc.constant({} as Record<string, string>) },
    {
      weight: 2,
      arbitrary: fc.constantFrom<Record<string, string>>(
        { prefer: 'return=representation' },
        { prefer: `return=${MARK};;;,` },
        { 'x-ms-blob-type': 'AppendBlob' },
        { 'x-ms-blob-type': 'BlockBlob' },
        { origin: `http://${MARK}.example` },
        { 'x-forwarded-for': `${MARK}, 1.2.3.4` },
        { 'accept-encoding': 'gzip, br' },
        { 'if-none-match': `"${MARK}"` },
        { 'content-encoding': 'gzip' },
        { expect: '100-continue' },
        { range: 'bytes=0-1' },
      ),
    },
  );
  return fc.tuple(authorization, accept, extra).map(([auth, acc, more]) => {
    const headers: Record<string, string> = { ...more };
    if (auth) headers.authorization = auth;
    if (acc) headers.accept = acc;
    return { headers, label: `${auth ? auth.slice(0, 12) : 'no token'}${acc ? ` accept ${acc}` : ''}${Object.keys(more).join(' ')}` };
  });
}

function requestArbitrary(spec: SpecOperation[], fixtures: Fixtures, bodyLimit: number): fc.Arbitrary<FuzzRequest> {
  const perOperation = spec.map((op) => {
    // DELETE gets the victims' ids: deleting the shared fixtures would leave later requests nothing real.
    const pool = () => (op.method === 'DELETE' ? fixtures.victims : fixtures.ids);
    return fc
      .tuple(
        fc.tuple(...(op.pathParams.length > 0 ? op.pathParams.map((p) => valueFor(p, pool)) : [fc.constant('')])),
        queryArbitrary(op, fixtures),
        headersArbitrary(fixtures),
        op.method === 'GET' || op.method === 'DELETE'
          ? fc.constant({ label: '' } as { body?: Buffer; type?: string; label: string })
          : bodyFor(op, fixtures.ids, bodyLimit),
        fc.oneof({ weight: 30, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom('PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'PUT') }),
        fc.nat({ max: 99 }),
      )
      .map(([params, query, head, body, method, dice]) => {
        let path = op.path;
        op.pathParams.forEach((name, i) => (path = path.replace(`{${name}}`, params[i]!)));
        // Path spellings the router normalizes: case, trailing and duplicate slashes.
        if (dice % 10 === 1) path = path.toUpperCase();
        if (dice % 10 === 2) path = `${path}/`;
        if (dice % 10 === 3) path = path.replace('/', '//');
        const headers = { ...head.headers };
        if (body.type) headers['content-type'] = body.type;
        const request: FuzzRequest = {
          op,
          method,
          url: path + query.text,
          headers,
          body: body.body,
          label: [query.label, head.label, body.label].filter(Boolean).join('; '),
        };
        // 15 in 100 (about one in seven) go on a raw socket, most of those with framing only a raw socket can send.
        if (dice < 15) {
          request.raw = rawBytes(request, dice);
          request.label += `; raw case ${dice}`;
        }
        return request;
      });
  });
  return fc.oneof(...perOperation);
}

function queryArbitrary(op: SpecOperation, fixtures: Fixtures): fc.Arbitrary<{ text: string; label: string }> {
  const names = op.queryParams.map((q) => q.name);
  const entries = fc.array(
    fc.oneof(
      {
        weight: 4,
        arbitrary: names.length > 0 ? fc.constantFrom(...names).chain((n) => valueFor(n, () => fixtures.ids).map((v) => `${n}=${v}`)) : fc.constant(''),
      },
      { weight: 1, arbitrary: urlJunk.map((v) => `${v}=${v}`) },
      { weight: 1, arbitrary: names.length > 0 ? fc.constantFrom(...names).map((n) => `${n.toUpperCase()}=%00`) : fc.constant('x=%00') },
    ),
    { maxLength: 4 },
  );
  // Required parameters are given a real value most of the time, so that the operation runs.
  const required = op.queryParams.filter((q) => q.required).map((q) => q.name);
  return fc.tuple(entries, fc.boolean()).map(([list, withRequired]) => {
    const parts = list.filter(Boolean);
    if (withRequired) for (const name of required) parts.unshift(`${name}=${encodeURIComponent(fixtures.ids[name]?.[0] ?? 'x')}`);
    return { text: parts.length > 0 ? `?${parts.join('&')}` : '', label: parts.length > 0 ? 'query' : '' };
  });
}

/** The request as bytes for a raw socket; `dice` picks a framing fault for some of them. */
function rawBytes(request: FuzzRequest, dice: number): Buffer {
  const body = request.body ?? Buffer.alloc(0);
  const lines = [`${request.method} ${request.url} HTTP/1.1`, 'Host: fuzz.test', 'Connection: close'];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`);
  let framing = body.length > 0 ? [`Content-Length: ${body.length}`] : [];
  let payload = body;
  switch (dice) {
    case 0:
      lines[0] = `${request.method} ${request.url} HTTP/1.0`;
      break;
    case 1: // chunked, correctly
      framing = ['Transfer-Encoding: chunked'];
      payload = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
      break;
    case 2: // a broken chunk size
      framing = ['Transfer-Encoding: chunked'];
      payload = Buffer.from(`zz\r\n${MARK}\r\n0\r\n\r\n`);
      break;
    case 3: // both Content-Length and chunked (request smuggling)
      framing = [`Content-Length: ${body.length + 5}`, 'Transfer-Encoding: chunked'];
      payload = Buffer.from(`0\r\n\r\n${MARK}`);
      break;
    case 4: // a bad Content-Length
      framing = ['Content-Length: abc'];
      break;
    case 5: // a header value with control characters
      lines.push(`X-Junk: a\u0001b\u007f${MARK}`);
      break;
    case 6: // headers over the parser's limit
      lines.push(`X-Big: ${MARK}${'h'.repeat(20_000)}`);
      break;
    case 7: // a request line over the parser's limit
      lines[0] = `${request.method} ${request.url}${request.url.includes('?') ? '&' : '?'}${MARK}=${'q'.repeat(20_000)} HTTP/1.1`;
      break;
    case 8: // not a method
      lines[0] = `F${MARK.toUpperCase()} ${request.url} HTTP/1.1`;
      break;
    case 9: // a space and a raw NUL in the path
      lines[0] = `${request.method} ${request.url.replace('/', '/a b\u0000/')} HTTP/1.1`;
      break;
    case 10: // a header without a colon
      lines.push(`NoColon${MARK}`);
      break;
    default:
      break;
  }
  return Buffer.concat([Buffer.from([...lines, ...framing, '', ''].join('\r\n'), 'latin1'), payload]);
}

// ---------------------------------------------------------------------------------------------
// Transport

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function sendHttp(port: number, agent: http.Agent, request: FuzzRequest): Promise<FuzzAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...request.headers };
    if (request.body && request.body.length > 0) headers['content-length'] = String(request.body.length);
    let req: http.ClientRequest;
    try {
      req = http.request({ host: '127.0.0.1', port, method: request.method, path: request.url, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
    } catch {
      // Node's client refuses some of what the arbitraries make (characters not allowed in a path or
      // header): send those on a raw socket instead.
      sendRaw(port, rawBytes(request, 99)).then(resolve, reject);
      return;
    }
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', () => {
      // The server may answer an error before reading the body (a 413, a 401 on an upload) and close
      // the connection while the body is still being written; the client then loses the answer. The
      // same bytes on a raw socket keep whatever came back before the reset.
      sendRaw(port, rawBytes(request, 99)).then(resolve, reject);
    });
    req.end(request.body);
  });
}

/** Writes `bytes` on a fresh connection and reads until the server closes it. */
function sendRaw(port: number, bytes: Buffer): Promise<FuzzAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error('no answer within 30 s')), 30_000);
    // Not half-closed after the request: Node's server drops the requests of a client that does
    // (no httpAllowHalfOpen), and real clients do not. Every raw request says Connection: close.
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (c: Buffer) => chunks.push(c));
    const finish = () => {
      clearTimeout(timer);
      const answer = parseRaw(Buffer.concat(chunks));
      if (answer) resolve(answer);
      else reject(new Error(`no HTTP answer on the raw socket (${chunks.length} chunks)`));
    };
    socket.on('close', finish);
    socket.on('error', () => {
      /* a reset after the answer: judged on close */
    });
  });
}

function parseRaw(data: Buffer): FuzzAnswer | undefined {
  // Interim answers (100 Continue) come before the real one.
  while (/^HTTP\/1\.[01] 1\d\d /.test(data.subarray(0, 16).toString('latin1'))) {
    const end = data.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    data = data.subarray(end + 4);
  }
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const head = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(head[0]!.split(' ')[1]);
  if (!Number.isInteger(status)) return undefined;
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = data.subarray(end + 4);
  if (headers['transfer-encoding']?.includes('chunked')) {
    const parts: Buffer[] = [];
    let at = 0;
    while (at < body.length) {
      const lineEnd = body.indexOf('\r\n', at);
      if (lineEnd < 0) break;
      const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
      if (!size) break;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  }
  return { status, headers, body: body.toString('utf8') };
}
