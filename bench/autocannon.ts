import { fileURLToPath } from 'node:url';
import type { LoadResult, Workload } from './load.js';
import { capture } from './processes.js';

const RUNNER = fileURLToPath(new URL('./autocannon-runner.ts', import.meta.url));

/**
 * The fallback generator where wrk is missing. autocannon is JavaScript, so it runs in a process of
 * its own: sharing the server's event loop would measure the two together.
 */
export async function runAutocannon(w: Workload): Promise<LoadResult> {
  const env = { ...process.env, BENCH_WORKLOAD: JSON.stringify(w) };
  const { code, stdout, stderr } = await capture(process.execPath, ['--import', 'tsx', RUNNER], env);
  const last = stdout.trim().split('\n').pop();
  if (code !== 0 || !last) throw new Error(`autocannon runner exited with ${code}: ${stderr}${stdout}`);
  return JSON.parse(last) as LoadResult;
}
