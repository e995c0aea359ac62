/**
 * What a figure was measured on. A throughput number without its machine is
 * not comparable with anything, so every report carries this block.
 */
import { arch, cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';

export interface MachineInfo {
  cpuModel: string;
  cpuCount: number;
  memoryGiB: number;
  freeMemoryGiB: number;
  os: string;
  arch: string;
  node: string;
  /**
   * 1-minute load average when the figures were written. Above the core
   * count, other processes were competing for the CPU during the run and
   * throughput figures are lower than the machine can do.
   */
  loadAverage1m: number;
  /** The commit measured, so a figure can be traced to the code it describes. */
  gitCommit?: string;
  /** Uncommitted changes were present when measured (the figure may not match the commit exactly). */
  gitDirty?: boolean;
}

export function machineInfo(): MachineInfo {
  const cores = cpus();
  const info: MachineInfo = {
    cpuModel: cores[0]?.model?.trim() ?? 'unknown',
    cpuCount: cores.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 1024 ** 3) * 10) / 10,
    os: `${platform()} ${release()}`,
    arch: arch(),
    node: process.version,
    loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
  };
  try {
    info.gitCommit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'functions', 'infra', 'bench', 'policy'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    info.gitDirty = status.trim().length > 0;
  } catch {
    // Not a git checkout (an exported copy): the rest still identifies the machine.
  }
  return info;
}

/** One line for the docs: "AMD EPYC, 2 cores, 23.5 GiB, Linux …, Node v20.20.2". */
export function describeMachine(info: MachineInfo): string {
  const load = info.loadAverage1m === undefined ? '' : `, load average ${info.loadAverage1m}`;
  return `${info.cpuModel}, ${info.cpuCount} cores, ${info.memoryGiB} GiB RAM, ${info.os} (${info.arch}), Node ${info.node}${load}`;
}
