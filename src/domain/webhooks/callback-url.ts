import { BlockList, isIP } from 'node:net';

/**
 * Where webhooks may send events (docs/webhooks.md). Public hosts over HTTPS only, as Bentley
 * requires; the hosts of WEBHOOK_ALLOWED_HOSTS (an operator's own receivers, loopback in tests) also
 * over plain HTTP and even when they are private addresses. Anything else naming or resolving to a
 * loopback, private, link-local or otherwise non-public address is refused: a webhook must not make
 * the service call into its own network.
 */
export interface CallbackPolicy {
  /** Lower-case host names or IP literals (IPv6 without brackets). */
  readonly allowedHosts: readonly string[];
}

const MAX_URL_LENGTH = 2048;

const nonPublic = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  nonPublic.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  // Site-local (deprecated, yet still routed inside some networks).
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  nonPublic.addSubnet(net, prefix, 'ipv6');
}

/**
 * Whether an IP address is loopback, private, link-local, multicast or otherwise not a public one.
 * An IPv6 address that carries an IPv4 address (IPv4-compatible `::a.b.c.d`, IPv4-mapped
 * `::ffff:a.b.c.d` and IPv4-translated `::ffff:0:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`, 6to4
 * `2002:aabb:ccdd::`) is judged by that IPv4 address too: each may reach it.
 */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return nonPublic.check(address, 'ipv4');
  if (family !== 6) return true;
  if (nonPublic.check(address, 'ipv6')) return true;
  const embedded = embeddedIpv4(address);
  return embedded !== undefined && nonPublic.check(embedded, 'ipv4');
}

/** The IPv4 address an IPv6 address carries by one of the known embeddings, if any. */
export function embeddedIpv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (!g) return undefined;
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  const last = v4(g[6]!, g[7]!);
  if (zero(0, 6)) return last;
  if (zero(0, 5) && g[5] === 0xffff) return last;
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return last;
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return last;
  return undefined;
}

/** The eight 16-bit groups of a valid IPv6 address (a dotted IPv4 tail counts as two). */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((x) => Number.parseInt(x, 16)));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  const groups = tail === undefined ? front : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  return groups.length === 8 && groups.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffff) ? groups : undefined;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

export function isAllowedHost(policy: CallbackPolicy, host: string): boolean {
  return policy.allowedHosts.includes(host.toLowerCase());
}

/** Why `raw` may not be a callback URL, or undefined when it may. */
export function callbackUrlProblem(policy: CallbackPolicy, raw: string): string | undefined {
  if (raw.length > MAX_URL_LENGTH) return `callbackUrl must be at most ${MAX_URL_LENGTH} characters long.`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'callbackUrl must be an absolute http or https URL.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'callbackUrl must be an absolute http or https URL.';
  if (url.username || url.password) return 'callbackUrl must not hold credentials.';
  if (url.hash) return 'callbackUrl must not have a fragment.';
  const host = hostOf(url);
  if (isAllowedHost(policy, host)) return undefined;
  if (url.protocol !== 'https:') return 'callbackUrl must use https.';
  if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && isNonPublicAddress(host))) {
    return 'callbackUrl must name a public host.';
  }
  return undefined;
}

/** Whether the dispatcher may connect to `address`, which `host` (of an accepted callback URL) resolved to. */
export function mayConnect(policy: CallbackPolicy, host: string, address: string): boolean {
  return isAllowedHost(policy, host.replace(/^\[|\]$/g, '')) || !isNonPublicAddress(address);
}
