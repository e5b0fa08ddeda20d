import http from 'node:http';
import https from 'node:https';
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { mayConnect, type CallbackPolicy } from '../domain/webhooks/callback-url.js';

export interface PostResult {
  /** The receiver's status; null when it did not answer. */
  status: number | null;
  error: string | null;
}

/**
 * POSTs one event to a callback URL: JSON, with its `Signature`, within `timeoutMs` for the whole
 * exchange. The host is resolved here and every address it resolves to is checked against the
 * policy before connecting (a name accepted at creation could point at a private address since).
 * The receiver's body is read and discarded, never kept.
 */
export function postEvent(url: string, body: string, signature: string, timeoutMs: number, policy: CallbackPolicy): Promise<PostResult> {
  return new Promise((resolve) => {
    let settled = false;
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
    const lookup: LookupFunction = (hostname, options, callback) => {
      dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, '', 0);
        const list = addresses as dns.LookupAddress[];
        const refused = list.find((a) => !mayConnect(policy, host, a.address));
        if (refused) return callback(new Error(`${hostname} resolves to ${refused.address}, which is not a public address`), '', 0);
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
    const timer = setTimeout(() => {
      settle({ status: null, error: `no answer within ${timeoutMs} ms` });
      request.destroy();
    }, timeoutMs);
    request.on('error', (error) => settle({ status: null, error: error.message.slice(0, 500) }));
    request.end(body);
  });
}
