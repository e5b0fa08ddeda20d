import fs from 'node:fs';
import type { ProgramResult } from '../run-program.js';
import { warmCacheDir } from './converter.js';
import { WarmProcess, type WarmProcessOptions } from './warm-process.js';

export interface ConverterPoolOptions extends Omit<WarmProcessOptions, 'cwd'> {
  /** The shared iTwin.js cache folder (TWINSYNC_ITWIN_CACHE_DIR); each process uses a folder of its own inside. */
  cacheDir: string;
  /** A process is replaced after this many tasks... */
  recycleAfterTasks: number;
  /** ...or when a task leaves it above this resident memory (MiB). */
  recycleAboveMb: number;
}

/**
 * The warm converter processes of one builtin IFC connector (warm-process.ts). A task takes an idle
 * process, or starts one when all are busy: the pool grows to the number of tasks run at once (the
 * worker's limit on connector processes bounds it: process-slots.ts) and keeps them for the next tasks. A process is replaced rather
 * than reused when it crashed, was stopped (time limit, cancelled run: it was killed), served
 * `recycleAfterTasks` tasks, or its memory grew past `recycleAboveMb` (native libraries and their
 * heaps do not always give back what a large model took). A task that failed in an ordinary way
 * (the file cannot be converted) leaves its process in the pool.
 */
export class ConverterPool {
  /** Most recently used last: its caches are the warmest. */
  private readonly idle: WarmProcess[] = [];
  private readonly live = new Set<WarmProcess>();
  private closing: Promise<void> | undefined;

  constructor(private readonly options: ConverterPoolOptions) {}

  /** The converter processes alive now (ids), idle or busy. */
  get pids(): number[] {
    return [...this.live].filter((p) => p.alive && p.pid !== undefined).map((p) => p.pid!);
  }

  /** Runs one task in a warm converter (see WarmProcess.run). */
  async run(env: Record<string, string>, signal: AbortSignal, timeoutMs: number): Promise<ProgramResult> {
    if (this.closing) throw new Error('The IFC converter pool is closed');
    let converter = this.idle.pop();
    while (converter && !converter.alive) converter = this.idle.pop();
    converter ??= this.start();
    const result = await converter.run(env, signal, timeoutMs);
    if (!converter.alive) return result; // crashed or stopped: its exit took it out of the pool
    const { recycleAfterTasks, recycleAboveMb } = this.options;
    if (this.closing || converter.tasksDone >= recycleAfterTasks || converter.rssBytes > recycleAboveMb * 1024 * 1024) {
      void converter.retire();
    } else {
      this.idle.push(converter);
    }
    return result;
  }

  /** Ends every process (a busy one is killed) and waits until all have exited. */
  close(): Promise<void> {
    this.closing ??= Promise.all([...this.live].map((p) => (p.busy ? p.kill() : p.retire()))).then(() => undefined);
    return this.closing;
  }

  private start(): WarmProcess {
    const { cacheDir, recycleAfterTasks: _, recycleAboveMb: __, ...options } = this.options;
    fs.mkdirSync(cacheDir, { recursive: true });
    const converter = new WarmProcess({ ...options, cwd: cacheDir });
    this.live.add(converter);
    void converter.exited.then(() => {
      this.live.delete(converter);
      const index = this.idle.indexOf(converter);
      if (index >= 0) this.idle.splice(index, 1);
      // A process that ended normally removed its cache folder; one that was killed could not.
      if (converter.pid !== undefined) fs.rmSync(warmCacheDir(cacheDir, converter.pid), { recursive: true, force: true });
    });
    return converter;
  }
}
