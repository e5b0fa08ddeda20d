import { type ChildProcess, spawn } from 'node:child_process';
import { errorCode, killGroup, type ProgramResult, Tail } from '../run-program.js';
import type { FromConverter, ToConverter } from './warm-protocol.js';

export interface WarmProcessOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Between SIGTERM and SIGKILL when the process is stopped, and the time it gets to end when told to. */
  killGraceMs: number;
  /** How much of the end of stdout and of stderr to keep per task. */
  tailBytes: number;
}

/**
 * One warm converter process (warm-program.ts), seen from the worker's process: started without a
 * shell in its own process group, it takes one task at a time over its IPC channel. A task ends as
 * a ProgramResult, as a one-task program's run does (run-program.ts): `exited` with the exit code the
 * converter reported, or with the process's own when it died during the task; `timedOut` or
 * `aborted` when it was stopped (SIGTERM to the group, SIGKILL after the grace period, and the
 * result only once it has exited, so nothing is still writing). Output is kept per task (the last
 * `tailBytes`), for the task's error.
 *
 * Idle, it keeps neither the worker's process alive nor its event loop busy (unreferenced).
 */
export class WarmProcess {
  /** Tasks it finished (whatever their exit code). */
  tasksDone = 0;
  /** Resident memory after its last task. */
  rssBytes = 0;
  /** Settled when the process has exited (or never started). */
  readonly exited: Promise<void>;
  private readonly child: ChildProcess | undefined;
  private readonly stdout: Tail;
  private readonly stderr: Tail;
  private spawnError: string | undefined;
  private exitStatus: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private ready = false;
  private taskRunning = false;
  private nextId = 1;
  /** Hears every message and the exit while a task runs. */
  private listener: ((event: FromConverter | { type: 'exit' }) => void) | undefined;

  constructor(private readonly options: WarmProcessOptions) {
    this.stdout = new Tail(options.tailBytes);
    this.stderr = new Tail(options.tailBytes);
    let exited!: () => void;
    this.exited = new Promise((resolve) => {
      exited = resolve;
    });
    try {
      this.child = spawn(options.command, options.args, {
        cwd: options.cwd,
        env: options.env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
    } catch (error) {
      this.spawnError = errorCode(error);
      exited();
      return;
    }
    const child = this.child;
    child.stdout!.on('data', (chunk: Buffer) => this.stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    child.on('message', (message: FromConverter) => {
      if (message.type === 'ready') this.ready = true;
      this.listener?.(message);
    });
    child.on('error', (error) => {
      // After a successful spawn, 'error' only reports failed signalling or sending; exit follows.
      if (child.pid !== undefined) return;
      this.spawnError = errorCode(error);
      this.listener?.({ type: 'exit' });
      exited();
    });
    child.once('exit', (code, signal) => {
      this.exitStatus = { code, signal };
      // Whatever it started in its group goes with it: a task must not leak processes.
      killGroup(child.pid, 'SIGKILL');
      const done = () => {
        this.listener?.({ type: 'exit' });
        exited();
      };
      // Its last output may still be in the pipes: wait for them to close (not forever).
      const drain = setTimeout(done, 1_000);
      drain.unref();
      child.once('close', () => {
        clearTimeout(drain);
        done();
      });
    });
    this.setReferenced(false);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** A task is running in it. */
  get busy(): boolean {
    return this.taskRunning;
  }

  /** Started (or starting) and not ended. */
  get alive(): boolean {
    return this.child !== undefined && this.spawnError === undefined && this.exitStatus === undefined;
  }

  /**
   * Converts one task (`env`: its TWINSYNC_* variables), waiting first for the process to be ready.
   * Never rejects: every ending is a result.
   */
  run(env: Record<string, string>, signal: AbortSignal, timeoutMs: number): Promise<ProgramResult> {
    if (this.taskRunning) throw new Error('A warm converter takes one task at a time');
    this.taskRunning = true;
    this.setReferenced(true);
    return new Promise<ProgramResult>((resolve) => {
      const id = this.nextId++;
      let ending: 'exited' | 'timedOut' | 'aborted' = 'exited';
      let graceTimer: NodeJS.Timeout | undefined;
      const stop = (why: 'timedOut' | 'aborted') => {
        if (ending !== 'exited' || !this.alive) return;
        ending = why;
        killGroup(this.pid, 'SIGTERM');
        graceTimer = setTimeout(() => killGroup(this.pid, 'SIGKILL'), this.options.killGraceMs);
      };
      const timeout = setTimeout(() => stop('timedOut'), timeoutMs);
      const onAbort = () => stop('aborted');
      signal.addEventListener('abort', onAbort, { once: true });
      const finish = (result: ProgramResult) => {
        clearTimeout(timeout);
        clearTimeout(graceTimer);
        signal.removeEventListener('abort', onAbort);
        this.listener = undefined;
        this.stdout.clear();
        this.stderr.clear();
        this.taskRunning = false;
        this.setReferenced(false);
        resolve(result);
      };
      const send = () => this.child!.send({ type: 'task', id, env } satisfies ToConverter, () => undefined);
      this.listener = (event) => {
        if (event.type === 'ready') {
          if (ending === 'exited') send();
        } else if (event.type === 'exit') {
          if (this.spawnError !== undefined) {
            finish({ ending: 'notStarted', code: this.spawnError });
            return;
          }
          finish({ ending, exitCode: this.exitStatus!.code, exitSignal: this.exitStatus!.signal, ...this.output() });
        } else if (event.type === 'done' && event.id === id && ending === 'exited') {
          this.tasksDone++;
          this.rssBytes = event.rssBytes;
          // The message was written to stderr just before; let its bytes arrive, and never lose it.
          setImmediate(() => {
            if (event.message && !this.stderr.text().includes(event.message.trim())) this.stderr.push(Buffer.from(`${event.message}\n`));
            finish({ ending: 'exited', exitCode: event.exitCode, exitSignal: null, ...this.output() });
          });
        }
      };
      if (!this.alive) this.listener({ type: 'exit' });
      else if (signal.aborted) onAbort();
      else if (this.ready) send();
    });
  }

  /** Asks the process to end (it shuts iTwin.js down first); SIGKILL when it takes longer than the grace period. */
  async retire(): Promise<void> {
    if (this.alive) {
      this.child!.send({ type: 'exit' } satisfies ToConverter, () => undefined);
      const timer = setTimeout(() => killGroup(this.pid, 'SIGKILL'), this.options.killGraceMs);
      await this.exited;
      clearTimeout(timer);
    }
    await this.exited;
  }

  /** Stops the process at once: SIGTERM to its group, SIGKILL after the grace period. */
  async kill(): Promise<void> {
    if (this.alive) {
      killGroup(this.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(this.pid, 'SIGKILL'), this.options.killGraceMs);
      await this.exited;
      clearTimeout(timer);
    }
    await this.exited;
  }

  private output(): { stdout: string; stderr: string } {
    return { stdout: this.stdout.text(), stderr: this.stderr.text() };
  }

  /** Referenced while a task runs (the worker waits for it); not while idle. */
  private setReferenced(on: boolean): void {
    const child = this.child;
    if (!child || !this.alive) return;
    const handles = [child, child.channel, child.stdout, child.stderr] as Array<{ ref?(): void; unref?(): void } | null | undefined>;
    for (const handle of handles) {
      if (on) handle?.ref?.();
      else handle?.unref?.();
    }
  }
}
