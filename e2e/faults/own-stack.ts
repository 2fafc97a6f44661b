/**
 * A private copy of the real stack for fault tests: the same processes as
 * `npm start` and Playwright's stack (stackProcesses), through the same
 * supervisor, on free ports of its own, so a test can stop, kill and restart
 * them without touching the stack the other specs (or another person) use.
 *
 * ```ts
 * const own = await OwnStack.start(['jaeger', 'collector', 'inventory', 'api']);
 * await own.stop('collector');            // on purpose: SIGTERM, waits, stays down
 * own.kill('collector');                  // as a crash: the supervisor restarts it
 * await own.waitHealthy('collector');     // …until it answers again
 * await own.startProcess('collector');    // same ports, waits for health
 * own.output('api');                      // everything it printed so far
 * await own.dispose();                    // always, in afterAll
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { DEFAULTS, isUntracedApiPath, loadStackConfig, type StackConfig } from '@tracing-demo/stack';
import { stackProcesses, type ProcessName } from '@tracing-demo/stack/processes';
import { Supervisor } from '@tracing-demo/stack/supervisor';
import {
  captureAllTraceContexts,
  captureTraceContext,
  type CapturedTraceContext,
} from '@tracing-demo/trace-assert';
import { test as base } from '../fixtures.ts';

export type { ProcessName };

/** The port variables of stack/src/config.ts but the gateways' base: each one gets a port of its own. */
const PORT_VARIABLES = Object.keys(DEFAULTS).filter(
  (name) => name.endsWith('_PORT') && name !== 'GATEWAY_BASE_PORT',
);
/** Gateway i listens on GATEWAY_BASE_PORT + 10 i + 0…3 (stack/src/config.ts), for up to 8 gateways. */
const GATEWAY_PORTS = 8 * 10;

/**
 * Variables that would point the processes at another stack (URLs, OTLP
 * endpoints). They are dropped from the inherited environment: the private
 * stack's URLs are derived from its own ports only.
 */
const FOREIGN_VARIABLE =
  /^(WEB_URL|API_URL|INVENTORY_URL|LOG_DIR|INVENTORY_DATA_DIR|JAEGER_URL|COLLECTOR_OTLP_HTTP_TRACES_URL|WEB_ORIGINS|VITE_.*|OTEL_EXPORTER_OTLP_.*|COLLECTOR_CORS_ALLOWED_ORIGINS|JAEGER_OTLP_GRPC_ENDPOINT)$/;

/**
 * Private stacks take their ports below Linux's ephemeral range (32768 and
 * up): a port the kernel picked there for us could, by the time a killed
 * process restarts on it, be the local end of some outgoing connection.
 * Each Playwright worker gets a slice of its own, so parallel workers never
 * pick the same port. 17000–22999: above the default stack's ports, below
 * the benchmark's (23000 and up, bench/src/options.ts).
 */
const PRIVATE_PORTS_FROM = 17_000;
const SLICES = 6;
const SLICE_SIZE = 1000;

/** Whether every port of base…base+size-1 can be bound on 127.0.0.1 now. */
async function allFree(base: number, size: number): Promise<boolean> {
  const servers = await Promise.all(
    Array.from(
      { length: size },
      (_, i) =>
        new Promise<Server | undefined>((resolve) => {
          const server = createServer();
          server.once('error', () => resolve(undefined));
          server.listen(base + i, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  await Promise.all(servers.map((server) => server && new Promise((resolve) => server.close(resolve))));
  return servers.every((server) => server !== undefined);
}

/** The first port of a block of `size` free ports in this worker's slice. */
export async function freePortBlock(size: number): Promise<number> {
  const slice = Number(process.env.TEST_PARALLEL_INDEX ?? 0) % SLICES;
  const sliceStart = PRIVATE_PORTS_FROM + slice * SLICE_SIZE;
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = sliceStart + Math.floor(Math.random() * (SLICE_SIZE - size));
    if (await allFree(base, size)) return base;
  }
  throw new Error(`No ${size} free ports in a row between ${sliceStart} and ${sliceStart + SLICE_SIZE}.`);
}

/** Every port variable of the stack set to a free port (BIND_HOST kept): a private stack's environment. */
export async function privatePortEnv(): Promise<Record<string, string>> {
  const base = await freePortBlock(PORT_VARIABLES.length + GATEWAY_PORTS);
  const env: Record<string, string> = Object.fromEntries(
    PORT_VARIABLES.map((name, i) => [name, String(base + i)]),
  );
  env.GATEWAY_BASE_PORT = String(base + PORT_VARIABLES.length);
  if (process.env.BIND_HOST) env.BIND_HOST = process.env.BIND_HOST;
  return env;
}

/** This process's environment without the variables that point at another stack. */
export function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !FOREIGN_VARIABLE.test(entry[0]),
    ),
  );
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
  readonly supervisor: Supervisor;
  /** Jaeger's Badger directory: its own, the default stack's .data/jaeger is locked by that Jaeger. */
  readonly #dataDir: string;
  readonly #distDir: string | undefined;

  private constructor(env: Record<string, string>, names: readonly ProcessName[], options: OwnStackOptions) {
    this.#dataDir = mkdtempSync(join(tmpdir(), 'own-stack-jaeger-'));
    // The inventory's SQLite file and the services' log files go beside
    // Badger's keys/ and values/: all removed by dispose().
    this.env = {
      ...env,
      // The stack's own variables among them (STACK_TOPOLOGY, TAIL_SAMPLING_PERCENT…) shape its config too.
      ...options.env,
      JAEGER_BADGER_DIR: this.#dataDir,
      INVENTORY_DATA_DIR: join(this.#dataDir, 'inventory'),
      LOG_DIR: join(this.#dataDir, 'logs'),
    };
    this.config = loadStackConfig(this.env);
    // Its own build directory: the default stack's web/dist is built for other ports.
    this.#distDir = names.includes('web') ? mkdtempSync(join(tmpdir(), 'own-stack-web-')) : undefined;
    // Every process is described (a test may start the Collector later);
    // start() starts `names`, each after those of its dependencies it names.
    // The web app only with a build directory of its own.
    const processes = stackProcesses(this.config, { webMode: 'preview', webOutDir: this.#distDir }).filter(
      (proc) => proc.name !== 'web' || this.#distDir !== undefined,
    );
    this.supervisor = new Supervisor(
      processes.map((proc) => ({ ...proc, env: { ...proc.env, ...options.env } })),
      {
        baseEnv: inheritedEnv(),
        startTimeoutMs: options.startTimeoutMs ?? 60_000,
        log: (line) => console.log(`[own stack] ${line}`),
      },
    );
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
    const stack = new OwnStack(await privatePortEnv(), names, options);
    try {
      await stack.supervisor.start(names);
    } catch (error) {
      await stack.dispose();
      throw error;
    }
    return stack;
  }

  /** Starts one process (it must not be running) and waits until its health URL answers 2xx. */
  startProcess(name: ProcessName): Promise<void> {
    return this.supervisor.startOne(name);
  }

  isRunning(name: ProcessName): boolean {
    return this.supervisor.isRunning(name);
  }

  /** PID of the running process (the program itself: no shell in between). */
  pid(name: ProcessName): number {
    return this.supervisor.pid(name);
  }

  /** PIDs of every running process of the stack. */
  pids(): Map<ProcessName, number> {
    const result = new Map<ProcessName, number>();
    for (const name of this.supervisor.names as ProcessName[])
      if (this.isRunning(name)) result.set(name, this.pid(name));
    return result;
  }

  /** Everything the process printed (stdout and stderr, every run of it so far). */
  output(name: ProcessName): string {
    return this.supervisor.output(name);
  }

  /** Stops the process on purpose (no restart); resolves with how it exited. */
  stop(
    name: ProcessName,
    options: { signal?: NodeJS.Signals; timeoutMs?: number } = {},
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
    return this.supervisor.stop(name, options);
  }

  /** Kills the process as a crash would (default SIGKILL): the supervisor restarts it. */
  kill(name: ProcessName, signal: NodeJS.Signals = 'SIGKILL'): void {
    this.supervisor.kill(name, signal);
  }

  /** Resolves once the process is healthy again after a crash (the supervisor's restart). */
  waitHealthy(name: ProcessName, timeoutMs?: number): Promise<void> {
    return this.supervisor.waitHealthy(name, timeoutMs);
  }

  /** Stops the process (SIGTERM) if it runs, then starts it again on the same ports. */
  restart(name: ProcessName): Promise<void> {
    return this.supervisor.restart(name);
  }

  /** Stops every process (reverse dependency order) and removes the web build and Jaeger's data. Safe to call twice. */
  async dispose(): Promise<void> {
    await this.supervisor.stopAll();
    if (this.#distDir) rmSync(this.#distDir, { recursive: true, force: true });
    rmSync(this.#dataDir, { recursive: true, force: true });
  }
}

/** The web app of an OwnStack, driven like DemoPage drives the default one. */
export class OwnDemoPage {
  readonly #apiOrigin: string;
  readonly page: Page;
  /** An OwnStack, or any stack with a configuration (e.g. one `npm start` runs). */
  readonly stack: { config: StackConfig };

  constructor(page: Page, stack: { config: StackConfig }) {
    this.page = page;
    this.stack = stack;
    this.#apiOrigin = new URL(stack.config.api.url).origin;
  }

  /**
   * Only the app's own traced requests to this stack's API: not the status
   * strip's poll of GET /status (every 5 s), which a click may otherwise race.
   */
  readonly toApi = (url: URL): boolean => url.origin === this.#apiOrigin && !isUntracedApiPath(url.pathname);

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

  /** `count` user actions at once (the page's burst); the context of every request they made. */
  async burst(count: number): Promise<CapturedTraceContext[]> {
    await this.page.getByTestId('burst-count').fill(String(count));
    return captureAllTraceContexts(this.page, () => this.page.getByTestId('burst-button').click(), {
      url: this.toApi,
      atLeast: count,
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
