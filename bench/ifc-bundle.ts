import path from 'node:path';
import { bundleOptions } from '../scripts/build.mjs';

/**
 * bench/ifc-child.ts bundled as scripts/build.mjs bundles the converter (dist/ifc-warm.js): the
 * measured process then runs the converter as production runs it. Run through tsx instead, each
 * process held about 110 MB more (tsx's loader and the TypeScript it compiled), counted in the
 * peak resident set as if the converter held it. Written under .bench/ in the repository, so that
 * the packages left out of the bundle (web-ifc, iTwin.js) resolve from its node_modules.
 */
export async function bundleIfcChild(): Promise<string> {
  const root = path.resolve(import.meta.dirname, '..');
  const outfile = path.join(root, '.bench', 'ifc-child', 'ifc-child.mjs');
  const esbuild = await import('esbuild');
  await esbuild.build({
    ...bundleOptions(),
    absWorkingDir: root,
    entryPoints: [path.join(root, 'bench', 'ifc-child.ts')],
    outfile,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return outfile;
}
