import http from 'node:http';
import https from 'node:https';
import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { mayConnect, type CallbackPolicy } from '../domain/webhooks/callback-url.js';

export interface PostResult {
  /** The receiver's status; null when it did not answer. */
  status: number | null;
  /**
   * What the webhook's owner reads in the delivery history: generic, so that it never tells them
   * what the service's own network looks like (where a name resolves, which port is closed).
   */
  error: string | null;
  /** The full story, for the server's log only. */
  detail?: string;
}

/** The history's word for an address the callback policy refuses. */
export const REFUSED_BY_POLICY = 'refused by the callback policy';
/** The history's word for a connection that could not be made or broke. */
export const CONNECTION_FAILED = 'connection failed';

/**
 * POSTs one event to a callback URL: JSON, with its `Signature`, within `timeoutMs` for the whole
 * exchange. The host is resolved here and every address it resolves to is checked against the
 * policy before connecting (a name accepted at creation could point at a private address since).
 * An IP literal is checked the same way. The receiver's body is read and discarded, never kept.
 */
export function postEvent(url: string, body: string, signature: string, timeoutMs: number, policy: CallbackPolicy): Promise<PostResult> {
  return new Promise((resolve) => {
    let settled = false;
    // Declared before any early settle (an invalid URL, a refused literal) can clear it.
    let timer: NodeJS.Timeout | undefined;
    const settle = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      settle({ status: null, error: 'the callback URL is not valid' });
      return;
    }
    const host = target.hostname.replace(/^\[|\]$/g, '');
    // Node connects to an IP literal without calling `lookup`: such a host is checked here.
    if (isIP(host) !== 0 && !mayConnect(policy, host, host)) {
      settle({ status: null, error: REFUSED_BY_POLICY, detail: `${host} is not a public address` });
      return;
    }
    let refusal: string | undefined;
    const lookup: LookupFunction = (hostname, options, callback) => {
      dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, '', 0);
        const list = addresses as dns.LookupAddress[];
        const refused = list.find((a) => !mayConnect(policy, host, a.address));
        if (refused) {
          refusal = `${hostname} resolves to ${refused.address}, which is not a public address`;
          return callback(new Error(refusal), '', 0);
        }
        if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
        callback(null, list[0]!.address, list[0]!.family);
      });
    };
    const client = target.protocol === 'https:' ? https : http;
    const request = client.request(
      target,
      {
        method: 'POST',
        lookup,
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          signature,
          'user-agent': 'twinsync-webhooks',
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => settle({ status: response.statusCode ?? null, error: null }));
        response.on('error', () => settle({ status: response.statusCode ?? null, error: null }));
      },
    );
    timer = setTimeout(() => {
      settle({ status: null, error: `no answer within ${timeoutMs} ms` });
      request.destroy();
    }, timeoutMs);
    request.on('error', (error) =>
      settle(
        refusal ? { status: null, error: REFUSED_BY_POLICY, detail: refusal } : { status: null, error: CONNECTION_FAILED, detail: error.message.slice(0, 500) },
      ),
    );
    request.end(body);
  });
}
