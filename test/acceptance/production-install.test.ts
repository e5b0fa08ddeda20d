import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort, ROOT } from '../helpers/server-process.js';

/** `script` (util-linux) gives the service a terminal, where it would ask for pino-pretty. */
const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * Copies `from` to `to` as hard links where the file system allows (fast: node_modules holds
 * thousands of files), as copies where it does not. Symbolic links stay links.
 */
function linkTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(source), target);
    else {
      try {
        fs.linkSync(source, target);
      } catch {
        fs.copyFileSync(source, target);
      }
    }
  }
}

/**
 * What `npm ci --omit=dev` leaves, without the network and the native build it takes (about 90 s):
 * the repository's sources and the packages package-lock.json does not mark `dev`, in a folder
 * outside the repository (so that nothing resolves from the repository's own node_modules). Then
 * what the install's prepare script does (the build) and `npm start` on a terminal outside
 * production, where the logger would use pino-pretty, a devDependency.
 */
describe('acceptance: a production install builds and starts', { skip: hasScript ? undefined : 'script (util-linux) is not installed' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-production-'));
  const dataDir = path.join(dir, 'data');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('has no devDependency, builds dist/ with its dependencies only, and answers', async () => {
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const production = Object.entries(lock.packages)
      .filter(([where, entry]) => where.startsWith('node_modules/') && !where.slice('node_modules/'.length).includes('node_modules/') && !entry.dev)
      .map(([where]) => where)
      .filter((where) => fs.existsSync(path.join(ROOT, where))); // optional packages of other platforms are absent
    for (const where of production) linkTree(path.join(ROOT, where), path.join(dir, where));
    for (const entry of ['src', 'scripts', 'web']) fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
    for (const file of ['package.json', 'package-lock.json', 'tsconfig.json']) fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
    assert.ok(!fs.existsSync(path.join(dir, 'node_modules/pino-pretty')), 'no devDependency in the install');
    assert.ok(!fs.existsSync(path.join(dir, 'node_modules/typescript')), 'no devDependency in the install');

    execFileSync(process.execPath, ['scripts/build.mjs', '--force'], { cwd: dir, stdio: 'pipe' });
    assert.ok(fs.existsSync(path.join(dir, 'dist/main.js')));
    assert.ok(fs.existsSync(path.join(dir, 'dist/web/index.html')), 'the web page is built with dependencies only, too');

    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' };
    delete env.NODE_ENV; // a developer's terminal: pretty logs, where pino-pretty is installed
    const child = spawn('script', ['-qec', `${JSON.stringify(process.execPath)} dist/main.js`, '/dev/null'], {
      cwd: dir,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    try {
      const deadline = Date.now() + 30_000;
      let status: number | undefined;
      while (status !== 200) {
        assert.equal(child.exitCode, null, `the service stopped: ${output}`);
        assert.ok(Date.now() < deadline, `no answer within 30 s: ${output}`);
        status = await fetch(`http://127.0.0.1:${port}/health/live`).then(
          (res) => res.status,
          () => undefined,
        );
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // JSON log lines on the terminal: pino-pretty is absent and was not asked for.
      assert.match(output, /\{"level":30,/);
      const page = await fetch(`http://127.0.0.1:${port}/app/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<div id="root">/);
    } finally {
      process.kill(-child.pid!, 'SIGKILL');
    }
  });
});
