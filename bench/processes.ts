import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/**
 * Child processes of the bench and what has to be undone however the bench ends: every child is
 * stopped, then the cleanups run (last registered first), on success, on error and on Ctrl-C.
 */
const children = new Set<ChildProcess>();
const cleanups: (() => Promise<void> | void)[] = [];

export function onCleanup(work: () => Promise<void> | void): void {
  cleanups.push(work);
}

let cleaning: Promise<void> | undefined;

/** Safe to call from several places at once (Ctrl-C while main() fails): all wait for the one cleanup. */
export function cleanUp(): Promise<void> {
  return (cleaning ??= (async () => {
    await Promise.all([...children].map((child) => stop(child)));
    while (cleanups.length > 0) {
      try {
        await cleanups.pop()!();
      } catch (error) {
        process.stderr.write(`bench: cleanup failed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  })());
}

// Last resort if the bench dies without running cleanUp(): no server is left listening.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  // A child started after cleanup began would outlive it.
  if (cleaning) {
    child.kill('SIGKILL');
    throw new Error('interrupted');
  }
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** A long-running child with stdout and stderr going to files, so nothing blocks on an undrained pipe. */
export function startLogged(command: string, args: string[], env: NodeJS.ProcessEnv, stdoutFile: string, stderrFile: string): ChildProcess {
  const out = fs.openSync(stdoutFile, 'w');
  const err = fs.openSync(stderrFile, 'w');
  try {
    return track(spawn(command, args, { env, stdio: ['ignore', out, err] }));
  } finally {
    fs.closeSync(out);
    fs.closeSync(err);
  }
}

/** Runs a short-lived child to completion, collecting its output. */
export function capture(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** SIGTERM (the server drains and closes its store), SIGKILL if it takes longer than `graceMs`. */
export function stop(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `port` accepts connections; fails at once if `child` exits first. */
export async function waitForPort(port: number, child: ChildProcess, stderrFile: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const stderr = fs.existsSync(stderrFile) ? fs.readFileSync(stderrFile, 'utf8').slice(-2000) : '';
      throw new Error(`child exited (${child.exitCode ?? child.signalCode}) before listening on ${port}\n${stderr}`);
    }
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listening on ${port} after ${timeoutMs} ms`);
}

export interface CpuUsage {
  /** CPU time of the process during the window divided by the window's wall time (2.0 = two cores busy). */
  processCores?: number;
  /** The same for the load generator's processes (`wrk`, or autocannon's node child). */
  generatorCores?: number;
  /** The same for PostgreSQL's processes on this machine, when twinsync runs on it. */
  databaseCores?: number;
  /** Share of all cores' time that was not idle, for every process on the machine. */
  machineBusyPercent?: number;
}

/**
 * Measures CPU over a window from /proc (Linux only; elsewhere the figures are left out). Cumulative
 * counters are read at both ends, so the server's start-up does not count, unlike `ps -o %cpu`.
 */
export function cpuWindow(pid: number | undefined): { end(): CpuUsage } {
  const ticksPerSecond = 100; // USER_HZ, 100 on every mainstream Linux build
  const start = { at: performance.now(), proc: processTicks(pid), machine: machineTicks() };
  return {
    end() {
      const seconds = (performance.now() - start.at) / 1000;
      const proc = processTicks(pid);
      const machine = machineTicks();
      const usage: CpuUsage = {};
      if (proc !== undefined && start.proc !== undefined) {
        usage.processCores = round((proc - start.proc) / ticksPerSecond / seconds, 2);
      }
      if (machine && start.machine) {
        const total = machine.total - start.machine.total;
        usage.machineBusyPercent = round((100 * (total - (machine.idle - start.machine.idle))) / total, 1);
      }
      return usage;
    },
  };
}

/**
 * CPU of every process running `command` (by /proc/<pid>/comm) over a window. They are sampled every
 * 200 ms, because a process that exits (wrk at the end of its run) takes its counters with it: the
 * last sample stands for it. Processes that start within the window count from their first sample.
 */
export function commandCpuWindow(commands: readonly string[]): { end(): number | undefined } {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const sample = () => {
    for (const pid of pidsOf(commands)) {
      const ticks = processTicks(pid);
      if (ticks === undefined) continue;
      if (!first.has(pid)) first.set(pid, ticks);
      last.set(pid, ticks);
    }
  };
  const at = performance.now();
  sample();
  const timer = setInterval(sample, 200);
  return {
    end() {
      clearInterval(timer);
      sample();
      if (first.size === 0) return undefined;
      let ticks = 0;
      for (const [pid, start] of first) ticks += last.get(pid)! - start;
      return round(ticks / 100 / ((performance.now() - at) / 1000), 2);
    },
  };
}

function pidsOf(commands: readonly string[]): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (commands.includes(fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function processTicks(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return undefined;
  }
}

function machineTicks(): { total: number; idle: number } | undefined {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // user, nice, system, idle, iowait, irq, softirq, steal: guest time is already counted in user.
    const cpu = line.trim().split(/\s+/).slice(1, 9).map(Number);
    return { total: cpu.reduce((a, b) => a + b, 0), idle: cpu[3]! + (cpu[4] ?? 0) };
  } catch {
    return undefined;
  }
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
