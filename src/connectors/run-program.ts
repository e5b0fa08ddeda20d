import { spawn } from 'node:child_process';

export interface ProgramOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Between SIGTERM and SIGKILL when the program is stopped. */
  killGraceMs: number;
  signal: AbortSignal;
  /** How much of the end of stdout and of stderr to keep. */
  tailBytes: number;
}

export type ProgramResult =
  | { ending: 'notStarted'; code: string }
  | {
      ending: 'exited' | 'timedOut' | 'aborted';
      exitCode: number | null;
      exitSignal: NodeJS.Signals | null;
      stdout: string;
      stderr: string;
    };

/** After the program exits, how long to wait for its pipes to drain before giving up on them. */
const DRAIN_MS = 1_000;

/**
 * Runs a program without a shell in its own process group, so that stopping it (time-out, abort)
 * also stops whatever it started: SIGTERM to the group, SIGKILL after the grace period. When the
 * program exits, anything it left running in its group is killed too: a task must not leak
 * processes into the worker. Output is never buffered whole; only the last `tailBytes` are kept.
 * Never rejects: every ending is a result.
 */
export function runProgram(options: ProgramOptions): Promise<ProgramResult> {
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(options.command, options.args, {
        cwd: options.cwd,
        env: options.env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      resolve({ ending: 'notStarted', code: errorCode(error) });
      return;
    }
    const stdout = new Tail(options.tailBytes);
    const stderr = new Tail(options.tailBytes);
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));

    let ending: 'exited' | 'timedOut' | 'aborted' = 'exited';
    let exited = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const stop = (why: 'timedOut' | 'aborted') => {
      if (exited || ending !== 'exited') return;
      ending = why;
      killGroup(child.pid, 'SIGTERM');
      graceTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), options.killGraceMs);
    };
    const timeout = setTimeout(() => stop('timedOut'), options.timeoutMs);
    const onAbort = () => stop('aborted');
    options.signal.addEventListener('abort', onAbort, { once: true });
    if (options.signal.aborted) onAbort();
    const cleanUp = () => {
      clearTimeout(timeout);
      clearTimeout(graceTimer);
      options.signal.removeEventListener('abort', onAbort);
    };

    child.once('error', (error) => {
      // After a successful spawn, 'error' only reports failed signalling, which killGroup avoids.
      if (child.pid !== undefined) return;
      cleanUp();
      resolve({ ending: 'notStarted', code: errorCode(error) });
    });
    child.once('exit', (exitCode, exitSignal) => {
      exited = true;
      cleanUp();
      killGroup(child.pid, 'SIGKILL');
      let settled = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(drainTimer);
        resolve({ ending, exitCode, exitSignal, stdout: stdout.text(), stderr: stderr.text() });
      };
      // A process that left the group (setsid) may hold our pipes open forever.
      const drainTimer = setTimeout(() => {
        child.stdout!.destroy();
        child.stderr!.destroy();
        finish();
      }, DRAIN_MS);
      child.once('close', finish);
    });
  });
}

/** Signals a process group (a child spawned `detached` leads its own); a group already gone is no error. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

export function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'UNKNOWN';
}

/** The last `limit` bytes of a stream, holding at most about twice that in memory. */
export class Tail {
  private chunks: Buffer[] = [];
  private length = 0;

  constructor(private readonly limit: number) {}

  /** Forgets what was kept (a long-lived program's output, per task). */
  clear(): void {
    this.chunks = [];
    this.length = 0;
  }

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    while (this.chunks.length > 1 && this.length - this.chunks[0]!.length >= this.limit) {
      this.length -= this.chunks.shift()!.length;
    }
    if (this.chunks.length === 1 && this.length > this.limit) {
      this.chunks[0] = this.chunks[0]!.subarray(this.length - this.limit);
      this.length = this.limit;
    }
  }

  /** UTF-8, without the partial character the cut may have left at the start. */
  text(): string {
    const all = Buffer.concat(this.chunks);
    return all
      .subarray(Math.max(0, all.length - this.limit))
      .toString('utf8')
      .replace(/^\uFFFD+/, '')
      .trim();
  }
}
