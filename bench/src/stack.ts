/**
 * The stack under test: the processes of stack/src/processes.ts, started by
 * the stack's supervisor as the launcher starts them (dependency order, each
 * once its dependencies answer their health URL), web in preview mode, on
 * the benchmark's ports.
 *
 * One option differs, on purpose: the web app is built into a directory of
 * the benchmark instead of web/dist. A preview server of a test run on the
 * default ports may be serving web/dist at the same moment, and a build made
 * here (with the benchmark's ports baked in) would break it.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadStackConfig, type StackConfig } from '@tracing-demo/stack';
import { busyPorts } from '@tracing-demo/stack/ports';
import { nodeService, stackProcesses, type ProcessName } from '@tracing-demo/stack/processes';
import type { Supervisor } from '@tracing-demo/stack/supervisor';
import { benchSupervisor, treeRssBytes } from './procs.ts';

export type { ProcessName };

export interface RunningStack {
  config: StackConfig;
  supervisor: Supervisor;
  /** From the start until the last health URL answered. */
  startMs: number;
  /** Per process: from its start (web: its build) until its health URL answered. */
  readyMs: Record<ProcessName, number>;
  /** PID of a running process of the stack. */
  pid(name: ProcessName): number;
  stop(): Promise<void>;
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
  const supervisor = benchSupervisor(
    stackProcesses(config, { webMode: 'preview', webOutDir: join(resolve(workDir), 'web-dist') }),
    logDir,
  );
  const started = performance.now();
  await supervisor.start();
  const startMs = performance.now() - started;
  const readyMs = {} as Record<ProcessName, number>;
  for (const name of supervisor.names as ProcessName[]) {
    const begun = supervisor.events.find(
      (e) => e.name === name && (e.type === 'preparing' || e.type === 'started'),
    );
    const healthy = supervisor.events.find((e) => e.name === name && e.type === 'healthy');
    if (begun && healthy) readyMs[name] = healthy.at - begun.at;
  }
  return {
    config,
    supervisor,
    startMs,
    readyMs,
    pid: (name) => supervisor.pid(name),
    stop: () => supervisor.stopAll(),
  };
}

/** A Node service the benchmark started beside the stack. */
export interface ExtraService {
  url: string;
  pid: () => number;
  stop: () => Promise<void>;
}

/**
 * Another copy of a Node service beside the stack (untraced, profiled, on
 * another runtime…) on its own port, supervised for the benchmark: the same
 * description as the stack's, from stack/src/processes.ts, with its options;
 * `program` runs it on another `node` than this one.
 */
export async function startExtraService(
  workDir: string,
  service: 'api' | 'inventory',
  name: string,
  ports: { api?: number; inventory?: number },
  options: { traced: boolean; nodeFlags?: string[]; program?: string },
): Promise<ExtraService> {
  const config = loadStackConfig({
    ...process.env,
    ...(ports.api ? { API_PORT: String(ports.api) } : {}),
    ...(ports.inventory ? { INVENTORY_PORT: String(ports.inventory) } : {}),
  });
  const described = nodeService(config, service, options);
  const spec = { ...described, name, dependsOn: [], program: options.program ?? described.program };
  const supervisor = benchSupervisor([spec], join(workDir, 'logs'));
  await supervisor.start();
  return {
    url: service === 'api' ? config.api.url : config.inventory.url,
    pid: () => supervisor.pid(name),
    stop: () => supervisor.stopAll(),
  };
}

/** RSS of every stack process, its children included, and their sum (bytes). */
export function stackRss(stack: RunningStack): { total: number; byProcess: Record<string, number> } {
  const byProcess: Record<string, number> = {};
  let total = 0;
  for (const name of stack.supervisor.names as ProcessName[]) {
    if (!stack.supervisor.isRunning(name)) continue;
    const rss = treeRssBytes(stack.pid(name));
    byProcess[name] = rss;
    total += rss;
  }
  return { total, byProcess };
}
