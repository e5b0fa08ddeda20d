import fs from 'node:fs';
import os from 'node:os';

/**
 * The cores this process may use: the machine's (`os.availableParallelism`), or fewer where a
 * container's CPU limit says so. Node 20's libuv does not read cgroup CPU quotas, so a container
 * limited to 2 CPUs on a 32-core host would otherwise count 32. Reads cgroup v2's `cpu.max`
 * ("<quota> <period>", or "max"), else cgroup v1's `cpu.cfs_quota_us` and `cpu.cfs_period_us`
 * (-1: no limit); a quota of 1.5 CPUs counts 2. Anything unreadable means no limit.
 */
export function machineCores(cgroupRoot = '/sys/fs/cgroup'): number {
  const cores = Math.max(1, os.availableParallelism());
  const quota = cgroupCpuQuota(cgroupRoot);
  return quota === undefined ? cores : Math.max(1, Math.min(cores, Math.ceil(quota)));
}

/** CPUs the cgroup allows, or undefined when it sets no limit (or none can be read). */
function cgroupCpuQuota(root: string): number | undefined {
  const v2 = read(`${root}/cpu.max`);
  if (v2 !== undefined) {
    const [quota, period] = v2.split(/\s+/);
    return quotaOf(Number(quota), Number(period));
  }
  return quotaOf(Number(read(`${root}/cpu/cpu.cfs_quota_us`)), Number(read(`${root}/cpu/cpu.cfs_period_us`)));
}

function quotaOf(quota: number, period: number): number | undefined {
  // "max" and -1 are NaN or negative here: no limit.
  return quota > 0 && period > 0 ? quota / period : undefined;
}

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}
