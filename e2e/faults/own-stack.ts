/**
 * A private copy of the real stack for fault tests: the same five processes
 * as `npm start` and Playwright's webServer (stackProcesses), on free ports of
 * its own, so a test can stop, kill and restart them without touching the
 * stack the other specs (or another person) use on the default ports.
 *
 * ```ts
 * const own = await OwnStack.start(['jaeger', 'collector', 'inventory', 'api']);
 * await own.stop('collector');            // SIGTERM, waits for the exit
 * await own.restart('collector');         // same ports, waits for health
 * own.output('api');                      // everything it printed so far
 * await own.dispose();                    // always, in afterAll
 * ```
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Page, TestInfo } from '@playwright/test';
import { DEFAULTS, loadStackConfig, type StackConfig } from '@tracing-demo/stack';
import { captureTraceContext, type CapturedTraceContext } from '@tracing-demo/trace-assert';
import { test as base } from '../fixtures.ts';
import { stackProcesses, type StackProcess } from '@tracing-demo/stack/processes';

export type ProcessName = StackProcess['name'];

/** The port variables of stack/src/config.ts: each one gets a free port. */
const PORT_VARIABLES = Object.keys(DEFAULTS).filter((name) => name.endsWith('_PORT'));

/**
 * Variables that would point the processes at another stack (URLs, OTLP
 * endpoints). They are dropped from the inherited environment: the private
 * stack's URLs are derived from its own ports only.
 */
const FOREIGN_VARIABLE =
  /^(WEB_URL|API_URL|INVENTORY_URL|LOG_DIR|INVENTORY_DATA_DIR|JAEGER_URL|COLLECTOR_OTLP_HTTP_TRACES_URL|WEB_ORIGINS|VITE_.*|OTEL_EXPORTER_OTLP_.*|COLLECTOR_CORS_ALLOWED_ORIGINS|JAEGER_OTLP_GRPC_ENDPOINT)$/;

/** Free TCP ports on 127.0.0.1, all held open at once so they are distinct. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

const START_PHASES: readonly (readonly ProcessName[])[] = [
  ['jaeger', 'web'],
  ['collector'],
  ['inventory', 'api'],
];

interface Running {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Children of every OwnStack in this process, killed if the worker exits without dispose(). */
const everyChild = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of everyChild) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Detached: the child leads its own process group (sh, vite build, …).
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export interface OwnStackOptions {
  /** Serve the web app (`preview`: its production build, built for these ports). Default: no web app. */
  web?: boolean;
  /** Extra environment for every process, e.g. COLLECTOR_OTLP_HTTP_MAX_BODY_BYTES. */
  env?: Record<string, string>;
  /** How long each process may take to become healthy. Default 60 s. */
  startTimeoutMs?: number;
}

export class OwnStack {
  readonly config: StackConfig;
  /** The environment the stack config was read from (ports, BIND_HOST). */
  readonly env: Record<string, string>;
  readonly #processes = new Map<ProcessName, StackProcess>();
  readonly #running = new Map<ProcessName, Running>();
  readonly #output = new Map<ProcessName, string>();
  readonly #extraEnv: Record<string, string>;
  readonly #startTimeoutMs: number;
  readonly #distDir: string | undefined;
  /** Jaeger's Badger directory: its own, the default stack's .data/jaeger is locked by that Jaeger. */
  readonly #dataDir: string;

  private constructor(env: Record<string, string>, options: OwnStackOptions) {
    this.#dataDir = mkdtempSync(join(tmpdir(), 'own-stack-jaeger-'));
    // The inventory's SQLite file and the services' log files go beside
    // Badger's keys/ and values/: all removed by dispose().
    this.env = {
      ...env,
      JAEGER_BADGER_DIR: this.#dataDir,
      INVENTORY_DATA_DIR: join(this.#dataDir, 'inventory'),
      LOG_DIR: join(this.#dataDir, 'logs'),
    };
    this.config = loadStackConfig(this.env);
    this.#extraEnv = options.env ?? {};
    this.#startTimeoutMs = options.startTimeoutMs ?? 60_000;
    // Its own build directory: the default stack's web/dist is built for other ports.
    this.#distDir = options.web ? mkdtempSync(join(tmpdir(), 'own-stack-web-')) : undefined;
    for (const proc of stackProcesses(this.config, { webMode: 'preview' })) {
      if (proc.name === 'web') {
        if (!this.#distDir) continue;
        const vite = './node_modules/.bin/vite';
        const out = `--outDir "${this.#distDir}"`;
        proc.command = `${vite} build --logLevel warn ${out} --emptyOutDir && exec ${vite} preview ${out}`;
      }
      this.#processes.set(proc.name, proc);
    }
  }

  /**
   * Allocates free ports, then starts the named processes in dependency order
   * (the web app in parallel) and waits until each one is healthy. `names`
   * may leave some out (e.g. no Collector, to start without it).
   */
  static async start(
    names: readonly ProcessName[] = ['jaeger', 'collector', 'inventory', 'api'],
    options: OwnStackOptions = {},
  ): Promise<OwnStack> {
    const ports = await freePorts(PORT_VARIABLES.length);
    const env: Record<string, string> = Object.fromEntries(
      PORT_VARIABLES.map((name, i) => [name, String(ports[i])]),
    );
    if (process.env.BIND_HOST) env.BIND_HOST = process.env.BIND_HOST;
    const stack = new OwnStack(env, { ...options, web: options.web ?? names.includes('web') });
    try {
      // Each exporter's first connection should find its receiver up (a
      // refused gRPC connection makes the channel back off for seconds), so
      // Jaeger, then the Collector, then the API; the web app alongside.
      for (const phase of START_PHASES) {
        await Promise.all(
          phase.filter((name) => names.includes(name)).map((name) => stack.startProcess(name)),
        );
      }
    } catch (error) {
      await stack.dispose();
      throw error;
    }
    return stack;
  }

  /** Starts one process (it must not be running) and waits until its health URL answers 2xx. */
  async startProcess(name: ProcessName): Promise<void> {
    const proc = this.#processes.get(name);
    if (!proc) throw new Error(`${name} is not part of this stack`);
    if (this.isRunning(name)) throw new Error(`${name} is already running`);
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        (entry): entry is [string, string] => entry[1] !== undefined && !FOREIGN_VARIABLE.test(entry[0]),
      ),
    );
    const child = spawn('sh', ['-c', proc.command], {
      cwd: proc.cwd,
      env: { ...inherited, ...proc.env, ...this.#extraEnv },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    everyChild.add(child);
    const append = (chunk: Buffer) =>
      this.#output.set(name, (this.#output.get(name) ?? '') + chunk.toString());
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => {
        everyChild.delete(child);
        resolve({ code, signal });
      });
    });
    this.#running.set(name, { child, exited });
    await this.#waitHealthy(name, proc.healthUrl, exited);
  }

  async #waitHealthy(name: ProcessName, url: string, exited: Running['exited']): Promise<void> {
    const deadline = Date.now() + this.#startTimeoutMs;
    let gone: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    void exited.then((result) => (gone = result));
    let lastError = '';
    while (Date.now() < deadline) {
      if (gone) {
        throw new Error(
          `${name} exited (code ${gone.code}, signal ${gone.signal}) before ${url} answered:\n${this.output(name)}`,
        );
      }
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
        await response.arrayBuffer();
        if (response.ok) return;
        lastError = `status ${response.status}`;
      } catch (error) {
        lastError = (error as Error).message;
      }
      await delay(100);
    }
    throw new Error(`${name}: ${url} did not answer 2xx within ${this.#startTimeoutMs} ms (${lastError})`);
  }

  isRunning(name: ProcessName): boolean {
    const running = this.#running.get(name);
    return running !== undefined && running.child.exitCode === null && running.child.signalCode === null;
  }

  /** PID of the running process (the program itself: the commands `exec` it). */
  pid(name: ProcessName): number {
    const pid = this.#running.get(name)?.child.pid;
    if (pid === undefined || !this.isRunning(name)) throw new Error(`${name} is not running`);
    return pid;
  }

  /** PIDs of every running process of the stack. */
  pids(): Map<ProcessName, number> {
    const result = new Map<ProcessName, number>();
    for (const name of this.#running.keys()) if (this.isRunning(name)) result.set(name, this.pid(name));
    return result;
  }

  /** Everything the process printed (stdout and stderr, every run of it so far). */
  output(name: ProcessName): string {
    return this.#output.get(name) ?? '';
  }

  /**
   * Sends `signal` to the process and waits for it to exit; SIGKILLs it after
   * `timeoutMs`. Resolves with how it exited.
   */
  async stop(
    name: ProcessName,
    { signal = 'SIGTERM', timeoutMs = 15_000 }: { signal?: NodeJS.Signals; timeoutMs?: number } = {},
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
    const running = this.#running.get(name);
    if (!running) throw new Error(`${name} was never started`);
    const started = performance.now();
    if (this.isRunning(name)) {
      try {
        running.child.kill(signal);
      } catch {
        // It exited meanwhile.
      }
    }
    const timer = setTimeout(() => killGroup(running.child, 'SIGKILL'), timeoutMs);
    const result = await running.exited;
    clearTimeout(timer);
    // Whatever the program left behind in its group (e.g. a build) goes too.
    killGroup(running.child, 'SIGKILL');
    return { ...result, ms: Math.round(performance.now() - started) };
  }

  /** Stops the process (SIGTERM) if it runs, then starts it again on the same ports. */
  async restart(name: ProcessName): Promise<void> {
    if (this.isRunning(name)) await this.stop(name);
    await this.startProcess(name);
  }

  /** Kills every process (SIGKILL) and removes the web build and Jaeger's data. Safe to call twice. */
  async dispose(): Promise<void> {
    await Promise.all(
      [...this.#running.entries()].map(async ([name, running]) => {
        if (this.isRunning(name)) killGroup(running.child, 'SIGKILL');
        await running.exited;
      }),
    );
    if (this.#distDir) rmSync(this.#distDir, { recursive: true, force: true });
    rmSync(this.#dataDir, { recursive: true, force: true });
  }
}

/** The web app of an OwnStack, driven like DemoPage drives the default one. */
export class OwnDemoPage {
  readonly #apiOrigin: string;

  constructor(
    readonly page: Page,
    readonly stack: OwnStack,
  ) {
    this.#apiOrigin = new URL(stack.config.api.url).origin;
  }

  /** Only the app's own requests to this stack's API. */
  readonly toApi = (url: URL): boolean => url.origin === this.#apiOrigin;

  async open(): Promise<void> {
    await this.page.goto(this.stack.config.web.url);
  }

  /** Fills the item form, submits it, and returns the trace context the app sent. */
  async getItem(id: string, q: string): Promise<CapturedTraceContext> {
    await this.page.getByTestId('item-id').fill(id);
    await this.page.getByTestId('item-q').fill(q);
    return captureTraceContext(this.page, () => this.page.getByTestId('item-button').click(), {
      url: this.toApi,
    });
  }

  get status() {
    return this.page.getByTestId('result-status');
  }
  get body() {
    return this.page.getByTestId('result-body');
  }
}

/**
 * The project's `test` with a worker-scoped OwnStack of `names` (started once
 * per worker, killed when the worker ends, whatever happened), `traces` bound
 * to its Jaeger, and `ownDemo`, its web app opened in the test's page.
 */
export function ownStackTest(names: readonly ProcessName[], options: OwnStackOptions = {}) {
  return base.extend<{ ownDemo: OwnDemoPage }, { own: OwnStack }>({
    own: [
      // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function destructures.
      async ({}, use) => {
        const own = await OwnStack.start(names, options);
        try {
          await use(own);
        } finally {
          await own.dispose();
        }
      },
      { scope: 'worker', timeout: 90_000 },
    ],
    // The toolkit's `traces` fixture reads this stack's Jaeger.
    jaegerUrl: async ({ own }, use) => use(own.config.jaeger.uiUrl),
    ownDemo: async ({ page, own }, use) => {
      const demo = new OwnDemoPage(page, own);
      await demo.open();
      await use(demo);
    },
  });
}

/**
 * Records a measured figure (a time, a count) as a report annotation: the
 * fault specs report timings instead of asserting them (time limits belong in
 * benchmarks on this shared machine).
 */
export function record(testInfo: TestInfo, type: string, value: number | string): void {
  testInfo.annotations.push({ type, description: String(value) });
}
