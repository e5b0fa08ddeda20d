import type { IncomingHttpHeaders } from 'node:http';

/**
 * Whether a request says it has a body: chunked (Transfer-Encoding, which takes precedence over any
 * Content-Length), or a Content-Length above 0. Node's parser has already refused a Content-Length
 * that is not a number, so `00` or ` 0` here is a zero like `0`.
 */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && Number(length) !== 0;
}
