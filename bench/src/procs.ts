/**
 * Starting, measuring and stopping the processes the benchmark owns.
 *
 * Every process is started in its own process group (detached), so stopping
 * it signals exactly that group (`kill(-pid)`): its own children (the shell of
 * `vite build && exec vite preview`, esbuild...) go with it and nothing else
 * on the machine is touched. Memory and CPU come from /proc (Linux only).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync, readdirSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

export interface Owned {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** SIGTERM to the group, then SIGKILL after `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

const owned = new Set<Owned>();

/** Starts `command` with `sh -c` in a new process group, output appended to `logFile`. */
export function startProcess(options: {
  name: string;
  command: string;
  cwd: string;
  env: Record<string, string>;
  logFile: string;
}): Owned {
  const fd = openSync(options.logFile, 'a');
  const child = spawn('sh', ['-c', options.command], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`${options.name}: could not start \`${options.command}\``);
  const pid = child.pid;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', () => resolve('spawn error'));
  });
  let stopping: Promise<void> | undefined;
  const proc: Owned = {
    name: options.name,
    pid,
    child,
    exited,
    stop(graceMs = 10_000) {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          signalGroup(pid, 'SIGTERM');
          const done = await Promise.race([exited.then(() => true), delay(graceMs).then(() => false)]);
          if (!done) {
            signalGroup(pid, 'SIGKILL');
            await exited;
          }
        }
        // Children that outlived the group leader (none expected) go too.
        signalGroup(pid, 'SIGKILL');
        owned.delete(proc);
      })();
      return stopping;
    },
  };
  owned.add(proc);
  return proc;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

/** Stops every process this module started, in reverse start order. */
export async function stopAll(): Promise<void> {
  for (const proc of [...owned].reverse()) await proc.stop();
}

/** Polls `url` with GET until it answers 2xx; resolves with the time it took (ms). */
export async function waitForHealthy(
  url: string,
  {
    timeoutMs = 60_000,
    intervalMs = 50,
    exited,
  }: { timeoutMs?: number; intervalMs?: number; exited?: Owned } = {},
): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.ok) return performance.now() - started;
    } catch {
      // Not listening yet.
    }
    if (exited && (exited.child.exitCode !== null || exited.child.signalCode !== null)) {
      throw new Error(
        `${exited.name} exited before ${url} answered (see bench-results/logs/${exited.name}.log)`,
      );
    }
    if (performance.now() - started > timeoutMs)
      throw new Error(`${url} did not answer 2xx within ${timeoutMs} ms`);
    await delay(intervalMs);
  }
}

// ---------------------------------------------------------------------------
// /proc

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
}

/** Parses /proc/<pid>/stat; the command name may contain spaces and parentheses. */
export function parseProcStat(text: string): ProcStat {
  const close = text.lastIndexOf(')');
  const pid = Number(text.slice(0, text.indexOf(' ')));
  // Fields after the name: state(3) ppid(4) ... utime(14) stime(15).
  const rest = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  return { pid, ppid: Number(rest[1]), cpuTicks: Number(rest[11]) + Number(rest[12]) };
}

function readStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** `pid` and all its descendants (alive now). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(stat.pid);
    children.set(stat.ppid, list);
  }
  const tree: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (tree.includes(next)) continue;
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree.filter((p) => readStat(p) !== undefined);
}

/** Resident set size of one process in bytes (VmRSS), 0 if it is gone. */
export function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Sum of VmRSS over the process and its descendants, in bytes. */
export function treeRssBytes(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + rssBytes(p), 0);
}

/** CPU seconds (user + system) used so far by the process and its live descendants. */
export function treeCpuSeconds(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + (readStat(p)?.cpuTicks ?? 0), 0) / clockTicks();
}

let ticks: number | undefined;
function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

export const MB = 1024 * 1024;
