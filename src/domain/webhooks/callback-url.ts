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
  ['ff00::', 8],
] as const) {
  nonPublic.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address is loopback, private, link-local, multicast or otherwise not a public one. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return nonPublic.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return nonPublic.check(mapped[1]!, 'ipv4');
  return nonPublic.check(address, 'ipv6');
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
