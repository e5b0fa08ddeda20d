import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A file of the built page, found on disk. */
export interface PageFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly contentType: string;
  /** Its gzip copy, written beside it by the build (`<file>.gz`), when there is one. */
  readonly gzip?: { readonly path: string; readonly size: number };
}

/** The types of what Vite writes (scripts, styles, images, fonts, source maps); anything else is bytes. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.glb': 'model/gltf-binary',
};

/**
 * The build's output, dist/web of the repository this program belongs to: found by walking up
 * from this module to the folder with package.json, so that the bundle (dist/main.js) and the
 * sources run by tsx (src/http/routes/web-app/) find the same folder.
 */
export function defaultWebAppDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'dist', 'web');
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('dist', 'web');
    dir = parent;
  }
}

/**
 * The file `relative` names under `root`, or undefined: absent, a folder, or a name that would
 * leave the folder (`..`, an absolute path, a backslash, a NUL). Looked up at each request, so a
 * new build is served at once without a restart.
 */
export function findPageFile(root: string, relative: string): PageFile | undefined {
  if (relative.includes('\0') || relative.includes('\\')) return undefined;
  const segments = relative.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment === '.')) return undefined;
  const full = path.join(root, ...segments);
  if (full !== root && !full.startsWith(root + path.sep)) return undefined;
  const stat = statFile(full);
  if (!stat) return undefined;
  const gzip = statFile(`${full}.gz`);
  return {
    path: full,
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    contentType: CONTENT_TYPES[path.extname(full).toLowerCase()] ?? 'application/octet-stream',
    ...(gzip ? { gzip: { path: `${full}.gz`, size: gzip.size } } : {}),
  };
}

function statFile(file: string): fs.Stats | undefined {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() ? stat : undefined;
  } catch {
    return undefined;
  }
}
