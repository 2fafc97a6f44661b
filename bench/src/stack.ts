/**
 * The stack under test: the processes of stack/src/processes.ts, started
 * the way the launcher starts them (dependency order, each once the previous
 * one answers its health URL), web in preview mode, on the benchmark's ports.
 *
 * One deviation, on purpose: the web app is built into a directory of the
 * benchmark instead of web/dist. A preview server of a test run on the
 * default ports may be serving web/dist at the same moment, and a build made
 * here (with the benchmark's ports baked in) would break it.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StackConfig } from '@tracing-demo/stack';
import { REPO_ROOT, stackProcesses, type StackProcess } from '@tracing-demo/stack/processes';
// Not exported by the stack package; the launcher's own port check.
import { busyPorts } from '../../stack/src/ports.ts';
import { startProcess, treeRssBytes, waitForHealthy, type Owned } from './procs.ts';

export type ProcessName = StackProcess['name'];

export interface RunningStack {
  config: StackConfig;
  definitions: StackProcess[];
  processes: Map<ProcessName, Owned>;
  /** From the first spawn until the last health URL answered. */
  startMs: number;
  /** Per process: from its spawn until its health URL answered (web includes its build). */
  readyMs: Record<ProcessName, number>;
  stop(): Promise<void>;
}

/** The preload that turns tracing on, exactly as processes.ts writes it. */
export const TRACING_PRELOAD = ' --import ./src/tracing.ts';

function replaceOnce(text: string, search: string, replacement: string, what: string): string {
  const at = text.indexOf(search);
  if (at === -1 || text.indexOf(search, at + 1) !== -1) {
    throw new Error(
      `${what}: expected exactly one "${search}" in \`${text}\` (did stack/src/processes.ts change?)`,
    );
  }
  return text.slice(0, at) + replacement + text.slice(at + search.length);
}

/** The web process's command with its build going to `outDir` (see the file comment). */
export function webCommandWithOutDir(command: string, outDir: string): string {
  const quoted = JSON.stringify(outDir);
  const built = replaceOnce(
    command,
    'vite build',
    `vite build --outDir ${quoted} --emptyOutDir`,
    'web command',
  );
  return replaceOnce(built, 'vite preview', `vite preview --outDir ${quoted}`, 'web command');
}

/** A service command of processes.ts (api, inventory) without the tracing preload: the same server, untraced. */
export function untracedCommand(command: string): string {
  return replaceOnce(command, TRACING_PRELOAD, '', 'service command');
}

/** The API command of processes.ts with extra node flags (e.g. --cpu-prof). */
export function apiCommandWithNodeFlags(command: string, flags: string): string {
  return replaceOnce(command, 'exec node ', `exec node ${flags} `, 'api command');
}

export function definitions(config: StackConfig, workDir: string): StackProcess[] {
  return stackProcesses(config, { webMode: 'preview' }).map((proc) =>
    proc.name === 'web'
      ? { ...proc, command: webCommandWithOutDir(proc.command, join(workDir, 'web-dist')) }
      : proc,
  );
}

/** Fails with one sentence if any port the run needs is taken. */
export async function checkPorts(config: StackConfig, extra: Record<string, number>): Promise<void> {
  const ports: Record<string, number> = { ...extra };
  for (const proc of stackProcesses(config)) Object.assign(ports, proc.ports);
  const busy = await busyPorts(config.bindHost, ports);
  if (busy.length > 0) {
    const list = busy.map(([purpose, port]) => `${port} (${purpose})`).join(', ');
    throw new Error(
      `Port(s) ${list} on ${config.bindHost} already in use: stop what uses them or move the benchmark with the port variables (see --help).`,
    );
  }
}

export async function startStack(config: StackConfig, workDir: string): Promise<RunningStack> {
  const logDir = join(workDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const defs = definitions(config, resolve(workDir));
  const processes = new Map<ProcessName, Owned>();
  const readyMs = {} as Record<ProcessName, number>;
  const stop = async () => {
    for (const proc of [...processes.values()].reverse()) await proc.stop();
  };
  const started = performance.now();
  try {
    for (const def of defs) {
      const spawnedAt = performance.now();
      const proc = startProcess({
        name: def.name,
        command: def.command,
        cwd: def.cwd,
        env: def.env,
        logFile: join(logDir, `${def.name}.log`),
      });
      processes.set(def.name, proc);
      await waitForHealthy(def.healthUrl, { timeoutMs: 120_000, exited: proc });
      readyMs[def.name] = performance.now() - spawnedAt;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { config, definitions: defs, processes, startMs: performance.now() - started, readyMs, stop };
}

/** RSS of every stack process, its children included, and their sum (bytes). */
export function stackRss(stack: RunningStack): { total: number; byProcess: Record<string, number> } {
  const byProcess: Record<string, number> = {};
  let total = 0;
  for (const [name, proc] of stack.processes) {
    const rss = treeRssBytes(proc.pid);
    byProcess[name] = rss;
    total += rss;
  }
  return { total, byProcess };
}

export const API_CWD = `${REPO_ROOT}server`;
