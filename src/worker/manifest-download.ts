import { createHash } from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net, { BlockList } from 'node:net';
import { Transform, type Readable } from 'node:stream';
import type { ManifestDownloadConfig } from '../config.js';
import type { ConnectorFailure } from '../connectors/connector.js';
import { connectorErrors } from '../connectors/errors.js';

/** What a download brought: the bytes' SHA-256 (hex) and their count. */
export interface Downloaded {
  hash: string;
  size: number;
}

/**
 * Downloads one manifest file, streamed into `sink` (the blob store), under the operator's rules
 * (docs/manifest-connections.md, "Downloads"): http(s) only; only hosts MANIFEST_ALLOWED_HOSTS names;
 * never a loopback, private, link-local or otherwise non-public address unless MANIFEST_ALLOWED_ADDRESSES
 * allows it, checked on the addresses the name resolves to when the connection is made (the socket's
 * own lookup), so a name that resolves elsewhere a second time (DNS rebinding) cannot get through;
 * a few redirects, each target checked again; bounded in size, and in connect, idle and total time.
 * A body longer than the limit or than its Content-Length, or shorter than that, fails.
 */
export async function downloadManifestFile(
  rawUrl: string,
  fileName: string,
  config: ManifestDownloadConfig,
  signal: AbortSignal,
  sink: (body: Readable) => Promise<void>,
): Promise<Downloaded> {
  const rules = new DownloadRules(config);
  const total = AbortSignal.timeout(config.totalTimeoutMs);
  let url = rawUrl;
  for (let redirects = 0; ; redirects++) {
    const target = rules.check(url, fileName);
    const answer = await fetchOnce(target, fileName, config, rules, signal, total, sink);
    if ('location' in answer) {
      if (redirects >= config.maxRedirects) throw connectorErrors.manifestDownloadRefused(fileName, `more than ${config.maxRedirects} redirects`);
      url = answer.location;
      continue;
    }
    return answer;
  }
}

/** The operator's rules: which hosts, which addresses. */
class DownloadRules {
  private readonly hosts: { suffix: boolean; host: string; port?: string }[];
  private readonly allowedAddresses = new BlockList();

  constructor(config: ManifestDownloadConfig) {
    this.hosts = config.allowedHosts.map((rule) => {
      const match = /^(\*\.)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(rule)!;
      return { suffix: match[1] !== undefined, host: match[2]!.replace(/^\[|\]$/g, ''), port: match[3] };
    });
    for (const range of config.allowedAddresses) {
      const [address, bits] = range.split('/');
      const family = net.isIP(address!) === 6 ? 'ipv6' : 'ipv4';
      this.allowedAddresses.addSubnet(address!, bits === undefined ? (family === 'ipv6' ? 128 : 32) : Number(bits), family);
    }
  }

  /** The URL if its scheme and host are allowed, else a refusal naming why. */
  check(raw: string, fileName: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw connectorErrors.manifestDownloadRefused(fileName, 'a redirect to something that is not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw connectorErrors.manifestDownloadRefused(fileName, `the scheme ${url.protocol} is not http or https`);
    if (url.username !== '' || url.password !== '') throw connectorErrors.manifestDownloadRefused(fileName, 'a URL with a user name or password');
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const allowed = this.hosts.some((r) => (r.port === undefined || r.port === port) && (r.suffix ? host.endsWith(`.${r.host}`) : host === r.host));
    if (!allowed) throw connectorErrors.manifestDownloadRefused(fileName, `the host ${host}:${port} is not in MANIFEST_ALLOWED_HOSTS`);
    // An IP literal is connected to without a lookup: its address is checked here.
    if (net.isIP(host) && !this.addressAllowed(host)) throw connectorErrors.manifestDownloadRefused(fileName, `${host} is not a public address`);
    return url;
  }

  addressAllowed(address: string): boolean {
    const family = net.isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (this.allowedAddresses.check(address, family)) return true;
    return !isNonPublic(address);
  }

  /** The socket's lookup: every address the name resolves to must be allowed, checked as the connection is made. */
  lookup(fileName: string, refused: (failure: ConnectorFailure) => void): net.LookupFunction {
    return (hostname, options, callback) => {
      dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, '', 0);
        const list = addresses as dns.LookupAddress[];
        const bad = list.find((a) => !this.addressAllowed(a.address));
        if (bad || list.length === 0) {
          const failure = connectorErrors.manifestDownloadRefused(fileName, `${hostname} resolves to ${bad?.address ?? 'nothing'}, not a public address`);
          refused(failure);
          return callback(Object.assign(new Error(failure.message), { code: 'EMANIFESTREFUSED' }), '', 0);
        }
        if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
        callback(null, list[0]!.address, list[0]!.family);
      });
    };
  }
}

/** Addresses that are not on the public internet (RFC 6890 and successors), v4-mapped v6 by their v4. */
const NON_PUBLIC = (() => {
  const list = new BlockList();
  for (const [a, bits] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.88.99.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ] as const)
    list.addSubnet(a, bits, 'ipv4');
  for (const [a, bits] of [
    ['::', 128],
    ['::1', 128],
    ['64:ff9b::', 96],
    ['64:ff9b:1::', 48],
    ['100::', 64],
    ['2001::', 23],
    ['2001:db8::', 32],
    ['2002::', 16],
    ['fc00::', 7],
    ['fe80::', 10],
    ['fec0::', 10],
    ['ff00::', 8],
  ] as const)
    list.addSubnet(a, bits, 'ipv6');
  return list;
})();

export function isNonPublic(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return NON_PUBLIC.check(mapped[1]!, 'ipv4');
  return NON_PUBLIC.check(address, net.isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** One request: a redirect's location, or the body streamed to `sink` with its hash and size. */
function fetchOnce(
  url: URL,
  fileName: string,
  config: ManifestDownloadConfig,
  rules: DownloadRules,
  signal: AbortSignal,
  total: AbortSignal,
  sink: (body: Readable) => Promise<void>,
): Promise<Downloaded | { location: string }> {
  return new Promise((resolve, reject) => {
    let failure: ConnectorFailure | undefined;
    let settled = false;
    let body: Transform | undefined;
    // The first failure wins; the body being stored fails with it (the blob store keeps nothing of it).
    const fail = (f: ConnectorFailure) => {
      failure ??= f;
      body?.destroy(failure);
      request.destroy();
      finish(failure);
    };
    const finish = (error: unknown, value?: Downloaded | { location: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      signal.removeEventListener('abort', onAbort);
      total.removeEventListener('abort', onTotal);
      if (error !== undefined) reject(error);
      else resolve(value!);
    };
    const onAbort = () => request.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    const onTotal = () => fail(connectorErrors.manifestDownloadTimedOut(fileName, `not done within ${config.totalTimeoutMs} ms`));

    const client = url.protocol === 'https:' ? https : http;
    // No agent: a connection of its own, looked up (and checked) as it is made, closed after the answer.
    const request = client.request(url, {
      agent: false,
      lookup: rules.lookup(fileName, (f) => (failure ??= f)),
      headers: { accept: '*/*', 'user-agent': 'twinsync-manifest-download' },
    });
    const connectTimer = setTimeout(
      () => fail(connectorErrors.manifestDownloadTimedOut(fileName, `no connection within ${config.connectTimeoutMs} ms`)),
      config.connectTimeoutMs,
    );
    request.on('socket', (socket) => {
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    request.setTimeout(config.idleTimeoutMs, () => fail(connectorErrors.manifestDownloadTimedOut(fileName, `nothing received for ${config.idleTimeoutMs} ms`)));
    signal.addEventListener('abort', onAbort, { once: true });
    total.addEventListener('abort', onTotal, { once: true });
    if (signal.aborted) onAbort();

    request.on('error', (error: NodeJS.ErrnoException) => {
      if (failure) return fail(failure);
      if (signal.aborted) {
        body?.destroy(error);
        return finish(error);
      }
      // The parser refuses bytes after the announced body: the body was longer than its Content-Length.
      if (error.code?.startsWith('HPE_')) return fail(connectorErrors.manifestLengthMismatch(fileName, 'the body is longer than its Content-Length'));
      fail(connectorErrors.manifestDownloadFailed(fileName, error.message, true));
    });

    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && [301, 302, 303, 307, 308].includes(status)) {
        const location = response.headers.location;
        response.resume();
        if (!location) return fail(connectorErrors.manifestDownloadFailed(fileName, `a ${status} without Location`, false));
        return finish(undefined, { location: new URL(location, url).href });
      }
      if (status !== 200) {
        response.resume();
        // A server's trouble may pass; a refusal (404, 403: an expired pre-authenticated URL) will not.
        const retryable = status >= 500 || status === 408 || status === 429;
        return fail(connectorErrors.manifestDownloadFailed(fileName, `the server answered ${status}`, retryable));
      }
      const declared = response.headers['content-length'] === undefined ? undefined : Number(response.headers['content-length']);
      if (declared !== undefined && declared > config.maxFileBytes) {
        response.resume();
        return fail(connectorErrors.manifestFileTooLarge(fileName, config.maxFileBytes));
      }
      const hash = createHash('sha256');
      let size = 0;
      const counter = (body = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          if (size > config.maxFileBytes) return done(connectorErrors.manifestFileTooLarge(fileName, config.maxFileBytes));
          hash.update(chunk);
          done(null, chunk);
        },
      }));
      counter.on('error', (error) => {
        if (error instanceof Error && 'taskError' in error) fail(error as ConnectorFailure);
      });
      response.on('error', () => {
        // A body cut short: shorter than its Content-Length (or the connection broke).
        fail(
          declared !== undefined && size < declared
            ? connectorErrors.manifestLengthMismatch(fileName, `${size} bytes received, ${declared} announced`)
            : connectorErrors.manifestDownloadFailed(fileName, 'the connection broke during the body', true),
        );
      });
      response.pipe(counter);
      sink(counter).then(
        () => {
          if (failure) return finish(failure);
          if (!response.complete || (declared !== undefined && size !== declared)) {
            return finish(connectorErrors.manifestLengthMismatch(fileName, `${size} bytes received, ${declared ?? 'a whole body'} announced`));
          }
          // Bytes after the announced body reach the parser only now: wait for the connection's end before accepting.
          const accept = () => finish(failure ?? undefined, failure ? undefined : { hash: hash.digest('hex'), size });
          if (request.socket?.destroyed ?? true) return accept();
          const grace = setTimeout(() => {
            request.destroy();
            accept();
          }, 200);
          request.once('close', () => {
            clearTimeout(grace);
            accept();
          });
        },
        (error) => finish(failure ?? error),
      );
    });
    request.end();
  });
}
