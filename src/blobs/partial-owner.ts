import { hostname } from 'node:os';

/**
 * Who writes a temporary `.partial` file: this machine and this process, in its name. A DATA_DIR
 * may be shared by several processes (two API processes on one machine), so a process starting up
 * must not remove another live process's write in progress; the name says whose it is. The host
 * name is part of it because processes in containers sharing a volume see each other's process ids
 * as meaningless (every container may have a pid 1).
 */
export const OWNER = `${hostname().replace(/[^A-Za-z0-9-]/g, '_')}~${process.pid}`;

/** The name a temporary file gets: `<host>~<pid>~<random hex>.partial`. */
const PARTIAL_NAME = /^([A-Za-z0-9_-]+)~(\d+)~[0-9a-f]+\.partial$/;

/** True when `pid` is a live process of this machine (EPERM: alive, someone else's). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * At start, a `.partial` file written by a process of this machine that no longer runs (or by an
 * earlier process with our own id, after a restart in a container) can have no writer: it goes,
 * whatever its age. So does one whose name is not of the current form: earlier versions named them
 * `<random>.partial`, with no owner to ask, and no process of this version writes such a name. One of
 * another host, or of a live process, is left to the idle rule.
 */
export function abandonedAtStart(name: string): boolean {
  const match = PARTIAL_NAME.exec(name);
  if (!match) return true;
  const [, host, pid] = match as unknown as [string, string, string];
  if (`${host}~${pid}` === OWNER) return true;
  if (host !== OWNER.split('~')[0]) return false;
  return !alive(Number(pid));
}
