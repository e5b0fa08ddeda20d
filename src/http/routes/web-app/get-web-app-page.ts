import fs from 'node:fs';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../../../domain/errors.js';
import type { App, AppContext } from '../../context.js';
import { defaultWebAppDir, findPageFile, type PageFile } from './page-files.js';
import { pageHeaders } from './page-headers.js';

/** Vite names what it writes under assets/ by content hash: a name never changes content. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html, favicon) is checked again at each use (its ETag makes that a 304). */
const REVALIDATE = 'no-cache';

/**
 * The page's files at /app/: the built page (dist/web, or WEB_APP_DIR), read from disk at each
 * request. A path that is no file and does not look like one (no extension, not under assets/) is
 * one of the page's own screens (/app/itwins/…): it gets index.html, and the page's router shows
 * the screen (the SPA fallback). A missing asset is the API's 404, never the page, so that a stale
 * script reference fails visibly instead of being parsed as HTML.
 */
export function getWebAppPageRoute(app: App, ctx: AppContext): void {
  const root = path.resolve(ctx.config.webApp.dir ?? defaultWebAppDir());
  const security = pageHeaders(ctx.config);
  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    // The router ignores a trailing slash: `/app/assets/` arrives as `assets`.
    const rest = ((request.params as { '*'?: string })['*'] ?? '').replace(/\/+$/, '');
    const asset = /^assets(\/|$)/i.test(rest);
    let file = rest === '' ? undefined : findPageFile(root, rest);
    if (!file) {
      const last = rest.split('/').pop() ?? '';
      if (asset || /\.[a-z0-9]+$/i.test(last)) throw errors.routeNotFound();
      file = findPageFile(root, 'index.html');
      if (!file) throw errors.webAppNotBuilt();
    }
    const isPage = file.path === path.join(root, 'index.html');
    if (isPage) reply.headers(security);
    return send(request, reply, file, asset ? IMMUTABLE : REVALIDATE);
  };
  // No operation: the page's files are not part of the API (no token, not in the OpenAPI document).
  app.get('/app', { schema: { hide: true } }, serve);
  app.get('/app/*', { schema: { hide: true } }, serve);
}

function send(request: FastifyRequest, reply: FastifyReply, file: PageFile, cacheControl: string) {
  const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
  reply.header('cache-control', cacheControl).header('etag', etag).header('x-content-type-options', 'nosniff');
  if (file.gzip) reply.header('vary', 'accept-encoding');
  if (request.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag)) return reply.code(304).send();
  const gzip = file.gzip && /\bgzip\b/i.test(request.headers['accept-encoding'] ?? '') ? file.gzip : undefined;
  if (gzip) reply.header('content-encoding', 'gzip');
  reply.type(file.contentType).header('content-length', gzip ? gzip.size : file.size);
  return reply.send(fs.createReadStream(gzip ? gzip.path : file.path));
}
