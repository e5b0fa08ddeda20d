// How Vite builds the web application (scripts/build.mjs runs it; `npx vite --config web/vite.config.mjs`
// serves it with hot reload, the API calls passed on to a twinsync at TWINSYNC_URL, http://localhost:3000
// by default). Plain JavaScript, as scripts/build.mjs is: it runs before anything is compiled.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const api = process.env.TWINSYNC_URL ?? 'http://localhost:3000';
/** The service's paths the page calls, for the development server's proxy (the built page is served by the service itself). */
const API_PATHS = ['/itwins', '/imodels', '/storage', '/synchronization', '/accesscontrol', '/users', '/connect', '/.well-known', '/app/config.json'];

export default defineConfig({
  root: here,
  // The service serves the page at /app/: every URL Vite writes starts there.
  base: '/app/',
  plugins: [react()],
  // Nothing from the network, ever: no public CDN, no font service (docs/web-app.md).
  build: {
    outDir: path.join(here, '..', 'dist', 'web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The design system is one large module; a warning about it at every build says nothing new.
    chunkSizeWarningLimit: 2048,
    reportCompressedSize: false,
    // Timings of Vite's own plugins, printed on a busy machine: nothing anyone building twinsync can act on.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: { proxy: Object.fromEntries(API_PATHS.map((prefix) => [prefix, { target: api, changeOrigin: false }])) },
});
