/**
 * The one process supervisor of the project. `npm start`, Playwright's stack,
 * the fault specs' private stacks, the benchmark and the soak all run their
 * processes through it.
 *
 * A process is data (`ProcessSpec`): a program and its argument array (never a
 * shell string), cwd, env, the URL that answers once it is ready, the ports it
 * binds, its dependencies and its restart policy. The supervisor
 *
 * - starts processes in dependency order, each once its dependencies answer
 *   their health URL (independent ones in parallel);
 * - restarts a process that exits when nobody asked it to, with backoff, and
 *   gives up after a bounded number of quick failures with one sentence. The
 *   others keep running: the death of the Collector or Jaeger never stops the
 *   web app, the API or the inventory;
 * - logs one line when a process dies (exit code or signal) and one when it is
 *   healthy again;
 * - stops everything in reverse dependency order (SIGTERM, then SIGKILL after
 *   a grace period), so the services flush their spans while the Collector
 *   and Jaeger still run.
 *
 * Each process leads its own process group, so stopping it also ends what it
 * started itself (esbuild under Vite), and nothing else on the machine.
 *
 * Written here rather than taken from a library: concurrently and
 * npm-run-all stop or ignore the others when one exits, and pm2 is a daemon
 * with its own state; none waits on health URLs in dependency order AND gives
 * tests a handle to kill and restart one named process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export interface Command {
  program: string;
  args: string[];
}

export interface RestartPolicy {
  /** `on-failure`: restart after an exit nobody asked for. `never`: stay down. */
  mode: 'on-failure' | 'never';
  /** Consecutive quick failures after which the supervisor gives up on the process. */
  maxQuickFailures: number;
  /** An exit within this time of the start (or before it was healthy) is a quick failure. */
  quickFailureMs: number;
  /** Delay before the first restart; doubled after each quick failure, up to maxBackoffMs. */
  firstBackoffMs: number;
  maxBackoffMs: number;
}

export const RESTART_ON_FAILURE: RestartPolicy = {
  mode: 'on-failure',
  maxQuickFailures: 5,
  quickFailureMs: 10_000,
  firstBackoffMs: 250,
  maxBackoffMs: 8_000,
};

export const NEVER_RESTART: RestartPolicy = { ...RESTART_ON_FAILURE, mode: 'never' };

export interface ProcessSpec extends Command {
  name: string;
  cwd: string;
  /** Added to the supervisor's base environment. */
  env: Record<string, string>;
  /** Answers 2xx (to a GET) once the process is ready. */
  healthUrl: string;
  /** Ports it must be able to bind, with what each is for (checked before a start). */
  ports: Record<string, number>;
  /** Whether the OpenTelemetry preload is on (for Node services; Go programs say false). */
  traced: boolean;
  /** Started after these are healthy; stopped before them. */
  dependsOn: string[];
  restart: RestartPolicy;
  /** Run to completion before the first start (not before restarts), e.g. a build. */
  prepare?: Command;
  /** Directories created before the first start. */
  dirs?: string[];
}

export type ProcessState = 'idle' | 'starting' | 'healthy' | 'restarting' | 'stopping' | 'stopped' | 'failed';

/** What happened to a process, in order; tests and the benchmark read restart times from it. */
export type SupervisorEvent =
  | { name: string; type: 'preparing'; at: number }
  | { name: string; type: 'started'; at: number; pid: number }
  | { name: string; type: 'healthy'; at: number; afterDeathMs?: number }
  | { name: string; type: 'died'; at: number; code: number | null; signal: NodeJS.Signals | null }
  | { name: string; type: 'gave-up'; at: number }
  | { name: string; type: 'stopped'; at: number };

export interface SupervisorOptions {
  /** The environment every process starts from (each spec's env is added). Default process.env. */
  baseEnv?: Record<string, string | undefined>;
  /** Where the supervisor's own lines go (deaths, restarts, give-ups). Default console.error. */
  log?: (line: string) => void;
  /** Every line a process prints. Default: kept in memory only (see output()). */
  onOutput?: (name: string, line: string) => void;
  /** How long a first start may take to become healthy. Default 120 s (the web build). */
  startTimeoutMs?: number;
  /** How long a stopped process may take to exit before SIGKILL. Default 10 s. */
  stopGraceMs?: number;
}

export class SupervisorError extends Error {
  override name = 'SupervisorError';
}

/** How much of each process's output is kept in memory (the latest part). */
const OUTPUT_LIMIT = 2 * 1024 * 1024;
const HEALTH_POLL_MS = 100;

interface Entry {
  spec: ProcessSpec;
  state: ProcessState;
  child?: ChildProcess;
  exited?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  startedAt: number;
  /** When it died, if it is being restarted. */
  diedAt?: number;
  quickFailures: number;
  prepared: boolean;
  output: string;
  restartTimer?: NodeJS.Timeout;
  /** Resolves when the current run is healthy; rejects if it exits first. */
  healthy?: Promise<void>;
}

/** Every child of every supervisor in this Node process: killed if we exit without stopping them. */
const everyChild = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of everyChild) signalGroup(child, 'SIGKILL');
});

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

function isAlive(child: ChildProcess | undefined): child is ChildProcess {
  return child !== undefined && child.exitCode === null && child.signalCode === null;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export class Supervisor {
  readonly #entries = new Map<string, Entry>();
  readonly #baseEnv: Record<string, string | undefined>;
  readonly #log: (line: string) => void;
  readonly #onOutput?: (name: string, line: string) => void;
  readonly #startTimeoutMs: number;
  readonly #stopGraceMs: number;
  readonly events: SupervisorEvent[] = [];
  #shuttingDown = false;

  constructor(specs: readonly ProcessSpec[], options: SupervisorOptions = {}) {
    this.#baseEnv = options.baseEnv ?? process.env;
    this.#log = options.log ?? ((line) => console.error(line));
    this.#onOutput = options.onOutput;
    this.#startTimeoutMs = options.startTimeoutMs ?? 120_000;
    this.#stopGraceMs = options.stopGraceMs ?? 10_000;
    for (const spec of specs) this.add(spec);
  }

  /** Adds a process description (e.g. the benchmark's untraced API beside the stack). */
  add(spec: ProcessSpec): void {
    if (this.#entries.has(spec.name)) throw new SupervisorError(`${spec.name} is described twice`);
    for (const dependency of spec.dependsOn) {
      if (!this.#entries.has(dependency))
        throw new SupervisorError(`${spec.name} depends on ${dependency}, which is not described before it`);
    }
    this.#entries.set(spec.name, {
      spec,
      state: 'idle',
      startedAt: 0,
      quickFailures: 0,
      prepared: false,
      output: '',
    });
  }

  get names(): string[] {
    return [...this.#entries.keys()];
  }

  spec(name: string): ProcessSpec {
    return this.#entry(name).spec;
  }

  state(name: string): ProcessState {
    return this.#entry(name).state;
  }

  isRunning(name: string): boolean {
    return isAlive(this.#entry(name).child);
  }

  /** PID of the running program (spawned directly, no shell in between). */
  pid(name: string): number {
    const child = this.#entry(name).child;
    if (!isAlive(child) || child.pid === undefined) throw new SupervisorError(`${name} is not running`);
    return child.pid;
  }

  /** Everything the process printed, every run of it so far (the latest 2 MB). */
  output(name: string): string {
    return this.#entry(name).output;
  }

  /**
   * Starts the named processes (default: all) in dependency order, each once
   * the dependencies it shares with this start are healthy; resolves when all
   * are healthy. On failure it stops everything that runs, then rejects with
   * a sentence and the failed process's last output lines.
   */
  async start(names: readonly string[] = this.names): Promise<void> {
    const wanted = new Set(names);
    const started = new Map<string, Promise<void>>();
    const startWithDependencies = (name: string): Promise<void> => {
      let promise = started.get(name);
      if (!promise) {
        const dependencies = this.#entry(name).spec.dependsOn.filter((d) => wanted.has(d));
        promise = Promise.all(dependencies.map(startWithDependencies)).then(() => this.startOne(name));
        started.set(name, promise);
      }
      return promise;
    };
    const results = await Promise.allSettled(names.map(startWithDependencies));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      await this.stopAll();
      throw failure.reason;
    }
  }

  /** Starts one process (it must not be running) and waits until it is healthy. */
  async startOne(name: string): Promise<void> {
    const entry = this.#entry(name);
    if (isAlive(entry.child)) throw new SupervisorError(`${name} is already running`);
    clearTimeout(entry.restartTimer);
    entry.quickFailures = 0;
    entry.diedAt = undefined;
    if (!entry.prepared) {
      for (const dir of entry.spec.dirs ?? []) mkdirSync(dir, { recursive: true });
      if (entry.spec.prepare) {
        this.events.push({ name, type: 'preparing', at: Date.now() });
        await this.#runPrepare(entry, entry.spec.prepare);
      }
      entry.prepared = true;
    }
    this.#spawn(entry);
    await entry.healthy;
  }

  /**
   * Stops one process on purpose (no restart): `signal` (default SIGTERM) to
   * the program, SIGKILL to its group after `timeoutMs`. Resolves with how it exited.
   */
  async stop(
    name: string,
    {
      signal = 'SIGTERM',
      timeoutMs = this.#stopGraceMs,
    }: { signal?: NodeJS.Signals; timeoutMs?: number } = {},
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
    const entry = this.#entry(name);
    clearTimeout(entry.restartTimer);
    const began = performance.now();
    const { child, exited } = entry;
    if (!child || !exited) {
      entry.state = 'stopped';
      return { code: null, signal: null, ms: 0 };
    }
    entry.state = 'stopping';
    if (isAlive(child)) child.kill(signal);
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), timeoutMs);
    const result = await exited;
    clearTimeout(timer);
    // Whatever the program left behind in its group goes too.
    signalGroup(child, 'SIGKILL');
    entry.state = 'stopped';
    this.events.push({ name, type: 'stopped', at: Date.now() });
    return { ...result, ms: Math.round(performance.now() - began) };
  }

  /**
   * Sends `signal` (default SIGKILL) to the program as a crash would: the
   * restart policy then applies, as for any exit nobody asked for.
   */
  kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): void {
    const child = this.#entry(name).child;
    if (!isAlive(child)) throw new SupervisorError(`${name} is not running`);
    child.kill(signal);
  }

  /** Stops the process (if it runs) and starts it again, waiting until it is healthy. */
  async restart(name: string): Promise<void> {
    await this.stop(name);
    await this.startOne(name);
  }

  /**
   * Resolves once the process is healthy (now, or after the restart under
   * way); rejects if the supervisor gave up on it or `timeoutMs` passed.
   */
  async waitHealthy(name: string, timeoutMs = 60_000): Promise<void> {
    const entry = this.#entry(name);
    const deadline = performance.now() + timeoutMs;
    while (entry.state !== 'healthy') {
      if (entry.state === 'failed' || entry.state === 'stopped' || entry.state === 'idle')
        throw new SupervisorError(`${name} is ${entry.state}, not coming back`);
      if (performance.now() > deadline)
        throw new SupervisorError(`${name} was not healthy again within ${seconds(timeoutMs)}`);
      await delay(50);
    }
  }

  /** Stops every running process in reverse dependency order. Safe to call twice. */
  async stopAll(): Promise<void> {
    this.#shuttingDown = true;
    const stopped = new Map<string, Promise<unknown>>();
    const dependents = (name: string) =>
      [...this.#entries.values()].filter((e) => e.spec.dependsOn.includes(name)).map((e) => e.spec.name);
    const stopAfterDependents = (name: string): Promise<unknown> => {
      let promise = stopped.get(name);
      if (!promise) {
        promise = Promise.all(dependents(name).map(stopAfterDependents)).then(() => this.stop(name));
        stopped.set(name, promise);
      }
      return promise;
    };
    await Promise.all(this.names.map(stopAfterDependents));
  }

  #entry(name: string): Entry {
    const entry = this.#entries.get(name);
    if (!entry)
      throw new SupervisorError(`${name} is not a process of this stack (${this.names.join(', ')})`);
    return entry;
  }

  #capture(entry: Entry, child: ChildProcess): void {
    let partial = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      entry.output += text;
      if (entry.output.length > OUTPUT_LIMIT) entry.output = entry.output.slice(-OUTPUT_LIMIT / 2);
      if (!this.#onOutput) return;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.#onOutput(entry.spec.name, line);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('close', () => {
      if (partial && this.#onOutput) this.#onOutput(entry.spec.name, partial);
    });
  }

  #env(spec: ProcessSpec): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.#baseEnv)) if (value !== undefined) env[key] = value;
    return { ...env, ...spec.env };
  }

  async #runPrepare(entry: Entry, command: Command): Promise<void> {
    const child = spawn(command.program, command.args, {
      cwd: entry.spec.cwd,
      env: this.#env(entry.spec),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    everyChild.add(child);
    this.#capture(entry, child);
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve) => {
        child.once('error', () => resolve({ code: 127, signal: null }));
        child.once('close', (c, s) => resolve({ code: c, signal: s }));
      },
    );
    everyChild.delete(child);
    if (code !== 0)
      throw new SupervisorError(
        `${entry.spec.name}: preparing it failed (${describeExit(code, signal)}):\n${tail(entry.output)}`,
      );
  }

  #spawn(entry: Entry): void {
    const { spec } = entry;
    const child = spawn(spec.program, spec.args, {
      cwd: spec.cwd,
      env: this.#env(spec),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    everyChild.add(child);
    entry.child = child;
    entry.state = entry.diedAt === undefined ? 'starting' : 'restarting';
    entry.startedAt = performance.now();
    this.#capture(entry, child);
    entry.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        entry.output += `\n${spec.name}: could not start ${spec.program}: ${error.message}\n`;
        resolve({ code: 127, signal: null });
      });
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    if (child.pid !== undefined)
      this.events.push({ name: spec.name, type: 'started', at: Date.now(), pid: child.pid });
    void entry.exited.then((result) => {
      everyChild.delete(child);
      if (entry.child === child) this.#onExit(entry, result.code, result.signal);
    });
    entry.healthy = this.#pollHealth(entry, child);
    // Rejections are read by startOne(); a restart's are logged by #onExit.
    entry.healthy.catch(() => {});
  }

  async #pollHealth(entry: Entry, child: ChildProcess): Promise<void> {
    const { spec } = entry;
    const deadline = performance.now() + this.#startTimeoutMs;
    let lastError: string;
    for (;;) {
      if (!isAlive(child) || entry.child !== child) {
        const exited = await entry.exited;
        throw new SupervisorError(
          `${spec.name} exited (${describeExit(exited?.code ?? null, exited?.signal ?? null)}) before ${spec.healthUrl} answered:\n${tail(entry.output)}`,
        );
      }
      const problem = await healthProblem(spec.healthUrl);
      if (problem === undefined) break;
      lastError = problem;
      if (performance.now() > deadline) {
        throw new SupervisorError(
          `${spec.name}: ${spec.healthUrl} did not answer 2xx within ${seconds(this.#startTimeoutMs)} (${lastError}):\n${tail(entry.output)}`,
        );
      }
      await delay(HEALTH_POLL_MS);
    }
    if (entry.child !== child || !isAlive(child)) return;
    entry.state = 'healthy';
    const afterDeathMs = entry.diedAt === undefined ? undefined : performance.now() - entry.diedAt;
    this.events.push({ name: spec.name, type: 'healthy', at: Date.now(), afterDeathMs });
    if (afterDeathMs !== undefined) {
      this.#log(`✔ ${spec.name} is healthy again, ${seconds(afterDeathMs)} after it died.`);
      entry.diedAt = undefined;
    }
  }

  #onExit(entry: Entry, code: number | null, signal: NodeJS.Signals | null): void {
    const { spec } = entry;
    if (entry.state === 'stopping' || entry.state === 'stopped') return;
    const now = performance.now();
    this.events.push({ name: spec.name, type: 'died', at: Date.now(), code, signal });
    if (entry.state === 'starting') {
      // A first start that failed: startOne() reports it, nothing restarts it.
      entry.state = 'failed';
      return;
    }
    entry.diedAt ??= now;
    const quick = entry.state !== 'healthy' || now - entry.startedAt < spec.restart.quickFailureMs;
    entry.quickFailures = quick ? entry.quickFailures + 1 : 1;
    const how = describeExit(code, signal);
    if (this.#shuttingDown || spec.restart.mode === 'never') {
      entry.state = 'failed';
      if (!this.#shuttingDown) this.#log(`✖ ${spec.name} died (${how}); it is not restarted.`);
      return;
    }
    if (entry.quickFailures > spec.restart.maxQuickFailures) {
      entry.state = 'failed';
      this.events.push({ name: spec.name, type: 'gave-up', at: Date.now() });
      this.#log(
        `✖ ${spec.name} failed ${entry.quickFailures} times in a row (last: ${how}); it is not restarted again, the other processes keep running. Its last lines:\n${tail(entry.output, 10)}`,
      );
      return;
    }
    const backoff = Math.min(
      spec.restart.firstBackoffMs * 2 ** (entry.quickFailures - 1),
      spec.restart.maxBackoffMs,
    );
    entry.state = 'restarting';
    this.#log(`✖ ${spec.name} died (${how}); restarting it in ${seconds(backoff)}.`);
    entry.restartTimer = setTimeout(() => {
      if (entry.state === 'restarting' && !this.#shuttingDown) this.#spawn(entry);
    }, backoff);
  }
}

/** One GET of a health URL: why it is not healthy, or undefined when it answered 2xx within a second. */
export async function healthProblem(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok ? undefined : `HTTP ${response.status}`;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Whether a health URL answers 2xx within a second. */
export async function isHealthy(url: string): Promise<boolean> {
  return (await healthProblem(url)) === undefined;
}

/**
 * An `onOutput` that appends each process's lines to `<dir>/<name>.log`,
 * through one open stream per process (not a write call per line, which
 * would block the caller's event loop under a busy service's logs).
 * `truncate`: start each file empty.
 */
export function outputToFiles(dir: string, { truncate = false } = {}): (name: string, line: string) => void {
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, WriteStream>();
  return (name, line) => {
    let file = files.get(name);
    if (!file) {
      file = createWriteStream(join(dir, `${name}.log`), { flags: truncate ? 'w' : 'a' });
      files.set(name, file);
    }
    file.write(`${line}\n`);
  };
}

/** The last `lines` lines of a process's output, indented, for an error message. */
function tail(output: string, lines = 20): string {
  const last = output.trimEnd().split('\n').slice(-lines);
  return last.map((line) => `  ${line}`).join('\n');
}
