/**
 * The stack as `npm start` runs it (the launcher, stack/src/start.ts, which
 * the bootstrap starts once the workspace is installed and the Go programs
 * built), on free ports of its own: `kill -9` of the Collector, then of
 * Jaeger, found as a user finds them (the process listening on the port).
 * The page and the API keep answering, each comes back without anyone
 * restarting it, and the next click is again ONE linked trace.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { loadStackConfig, type StackConfig } from '@tracing-demo/stack';
import { REPO_ROOT } from '@tracing-demo/stack/processes';
import { isHealthy } from '@tracing-demo/stack/supervisor';
import { waitForTrace } from '@tracing-demo/trace-assert';
import { expect } from '../fixtures.ts';
import { apiServerFor, browserFetch, inventoryDb, inventoryServer, userAction } from '../selectors.ts';
import { nodeServiceProblems, pidListeningOn } from './checks.ts';
import { inheritedEnv, OwnDemoPage, privatePortEnv, record } from './own-stack.ts';

interface Launcher {
  config: StackConfig;
  child: ChildProcess;
  /** Everything the launcher printed so far (its own lines and every process's, prefixed). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const test = base.extend<object, { launcher: Launcher }>({
  launcher: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function destructures.
    async ({}, use) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
      const env = {
        ...(await privatePortEnv()),
        JAEGER_BADGER_DIR: join(dataDir, 'jaeger'),
        INVENTORY_DATA_DIR: join(dataDir, 'inventory'),
        LOG_DIR: join(dataDir, 'logs'),
      };
      // What `npm start` runs once set-up is done (stack/bootstrap.mjs).
      const child = spawn(process.execPath, ['stack/src/start.ts'], {
        cwd: REPO_ROOT,
        env: { ...inheritedEnv(), ...env, FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, signal) => resolve({ code, signal })),
      );
      const launcher: Launcher = { config: loadStackConfig(env), child, output: () => output, exited };
      try {
        await expect
          .poll(() => (child.exitCode === null ? output : `exited: ${output}`), { timeout: 120_000 })
          .toMatch(/The stack is up|exited:/);
        expect(output, 'the launcher started the stack').toMatch(/The stack is up/);
        await use(launcher);
      } finally {
        if (child.exitCode === null) child.kill('SIGTERM');
        const stopped = await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
        if (!stopped) child.kill('SIGKILL');
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: 180_000 },
  ],
});

test.describe.configure({ mode: 'serial' });

const ITEM_TRACE = [userAction, browserFetch, apiServerFor('/items/:id'), inventoryServer, inventoryDb];

test('npm start runs the Node services on the pinned Node, with no TypeScript loader', async ({
  launcher,
}, testInfo) => {
  const pinned = readFileSync(join(REPO_ROOT, '.node-version'), 'utf8');
  const { config } = launcher;
  for (const [service, port] of [
    ['api', config.api.port],
    ['inventory', config.inventory.port],
  ] as const) {
    const pid = pidListeningOn(port);
    expect(pid, `a process listens on ${port}`).toBeDefined();
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const version = execFileSync(readlinkSync(`/proc/${pid}/exe`), ['--version'], { encoding: 'utf8' });
    record(testInfo, `${service}: command line`, commandLine.join(' '));
    expect(nodeServiceProblems(commandLine, version, pinned), service).toEqual([]);
  }
});

for (const victim of ['collector', 'jaeger'] as const) {
  test(`kill -9 of the ${victim} under npm start: the app keeps answering, the ${victim} comes back by itself, the next click is one linked trace`, async ({
    launcher,
    page,
  }, testInfo) => {
    test.setTimeout(150_000);
    const { config } = launcher;
    const port = victim === 'collector' ? config.collector.grpcPort : config.jaeger.uiPort;
    const healthUrl = victim === 'collector' ? config.collector.healthUrl : config.jaeger.healthUrl;
    const demo = new OwnDemoPage(page, launcher);
    await demo.open();

    const pid = pidListeningOn(port);
    expect(pid, `a process listens on ${port}`).toBeDefined();
    process.kill(pid!, 'SIGKILL');
    const killedAt = performance.now();

    // 20 of 20 API requests answer 200, and the page loads and works.
    const statuses: number[] = [];
    for (let i = 1; i <= 20; i++) {
      const response = await fetch(`${config.api.url}/items/${i}?q=${victim}-down`);
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses).toEqual(Array(20).fill(200));
    await demo.open();
    await demo.getItem('7', `${victim}-down`);
    await expect(demo.status).toHaveText('200');

    // Back without anyone restarting it: the launcher's supervisor did.
    await expect.poll(() => isHealthy(healthUrl), { timeout: 90_000, intervals: [100] }).toBe(true);
    record(testInfo, `${victim}: kill -9 → healthy again (ms)`, Math.round(performance.now() - killedAt));
    expect(pidListeningOn(port)).not.toBe(pid);
    expect(launcher.output()).toMatch(new RegExp(`${victim} died \\(signal SIGKILL\\); restarting it`));
    await expect
      .poll(launcher.output)
      .toMatch(new RegExp(`${victim} is healthy again, [\\d.]+ s after it died`));
    expect(launcher.child.exitCode, 'the launcher is still running').toBeNull();

    // The next click: one linked trace, browser → API → inventory → SQLite.
    const sent = await demo.getItem('8', `after-${victim}`);
    await expect(demo.status).toHaveText('200');
    const { trace } = await waitForTrace({
      jaegerUrl: config.jaeger.uiUrl,
      traceId: sent.traceId,
      expect: ITEM_TRACE,
      timeoutMs: 30_000,
    });
    expect(trace).toBeConnectedTrace();
    expect(trace).toHaveSpanWithParent(apiServerFor('/items/:id'), sent.parentSpanId);
  });
}

test('SIGTERM to the launcher stops every process and exits 0', async ({ launcher }) => {
  const { config } = launcher;
  const ports = [
    config.web.port,
    config.api.port,
    config.inventory.port,
    config.collector.grpcPort,
    config.jaeger.uiPort,
  ];
  launcher.child.kill('SIGTERM');
  const exit = await launcher.exited;
  expect(exit.code).toBe(0);
  expect(ports.map((p) => pidListeningOn(p))).toEqual(ports.map(() => undefined));
  expect(launcher.output()).toMatch(/SIGTERM: stopping/);
});
