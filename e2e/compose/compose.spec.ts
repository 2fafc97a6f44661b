/**
 * What only the containers can show, after the `traces` specs ran against
 * them (`npm run test:compose`; this project exists only with
 * E2E_STACK=compose): every service healthy, no process as root, only the
 * browser-facing ports published and only on 127.0.0.1, the web container's
 * security headers equal to `vite preview`'s, traces and SQLite data that
 * survive a restart, spans of a request delivered when its API is stopped,
 * and a minute of load within every memory limit. In this order, one at a
 * time: some restart or stop containers.
 */
import { randomInt } from 'node:crypto';
import { loadStackConfig, SERVICE_NAMES } from '@tracing-demo/stack';
import { waitForTrace, fetchTrace } from '@tracing-demo/trace-assert';
import viteConfig from '../../web/vite.config.ts';
import { traceIdFromServerTiming } from '../../web/src/api/server-timing.ts';
import { dockerCompose } from '../compose-stack.ts';
import { expect, test } from '../fixtures.ts';
import { apiClient, apiServer, inventoryDb, inventoryServer } from '../selectors.ts';
import {
  composePs,
  composeServices,
  containerExitCode,
  containerMemory,
  containerProcesses,
  containerStates,
  fullContainerId,
  headerProblems,
  healthProblems,
  memoryProblems,
  memoryReport,
  parsePs,
  parseTop,
  publishProblems,
  rootProcesses,
  type ContainerMemory,
  type PsRow,
} from './checks.ts';

test.describe.configure({ mode: 'serial' });

const stack = loadStackConfig();
const MB = 1024 * 1024;

/** The part of web/vite.config.ts's function read here (its types come from Vite, a web dependency). */
type PreviewConfigFn = (env: { command: 'serve'; mode: string; isPreview: boolean }) => {
  preview?: { headers?: Record<string, string> };
};

/** Waits until every service is running and, where it has a health check, healthy. */
async function expectAllHealthy(timeout = 90_000): Promise<void> {
  const { all, withHealthcheck } = composeServices();
  await expect
    .poll(() => healthProblems(composePs(), all, withHealthcheck), { timeout, intervals: [1000] })
    .toEqual([]);
}

/** GET /items/:id on the API (a raw client, no traceparent): the response and the trace id it reports. */
async function getItem(id: number, query = '') {
  const response = await fetch(`${stack.api.url}/items/${id}${query}`);
  const body = (await response.json()) as { name?: string };
  const traceId = traceIdFromServerTiming(response.headers.get('server-timing'));
  expect(traceId, 'Server-Timing carries the trace id').toMatch(/^[0-9a-f]{32}$/);
  return { status: response.status, body, traceId: traceId! };
}

const row = (service: string, fields: Partial<PsRow> = {}): PsRow => ({
  Service: service,
  ID: service,
  State: 'running',
  Health: 'healthy',
  Publishers: [],
  ...fields,
});

test.describe('the checkers reject what they must', () => {
  test('health', () => {
    const rows = [
      row('jaeger'),
      row('api', { Health: 'unhealthy' }),
      row('web', { State: 'restarting' }),
      row('collector', { Health: '' }),
    ];
    expect(
      healthProblems(rows, ['jaeger', 'api', 'web', 'collector', 'inventory'], new Set(['api', 'web'])),
    ).toEqual(['api: unhealthy, not healthy', 'web: restarting, not running', 'inventory: no container']);
    expect(parsePs('{"Service":"a"}\n{"Service":"b"}').map((r) => r.Service)).toEqual(['a', 'b']);
  });

  test('users', () => {
    const processes = parseTop(
      'web',
      'UID PID COMMAND\n0 12 nginx: master process\n101 13 nginx: worker\nnginx 14 x\n',
    );
    expect(rootProcesses(processes)).toEqual([
      'web: "nginx: master process" runs as root',
      'web: "x" runs as an unknown user',
    ]);
  });

  test('published ports', () => {
    const port = (URL: string, PublishedPort: number, TargetPort = PublishedPort) => ({
      URL,
      PublishedPort,
      TargetPort,
      Protocol: 'tcp',
    });
    const rows = [
      row('api', { Publishers: [port('0.0.0.0', 3000), port('', 0, 3000)] }),
      row('inventory', { Publishers: [port('127.0.0.1', 3001)] }),
      row('web', { Publishers: [port('', 5173)] }),
    ];
    expect(publishProblems(rows, '127.0.0.1', { api: 3000, web: 5173, jaeger: 16686 })).toEqual([
      'api publishes 0.0.0.0:3000->3000/tcp: only 127.0.0.1 is allowed',
      'inventory publishes 127.0.0.1:3001->3001/tcp: not one of the browser-facing ports {"api":3000,"web":5173,"jaeger":16686}',
      'web publishes (every address):5173->5173/tcp: only 127.0.0.1 is allowed',
      'jaeger does not publish 16686',
    ]);
  });

  test('headers', () => {
    const actual = new Headers({ 'X-Frame-Options': 'DENY', 'content-security-policy': 'default-src *' });
    expect(
      headerProblems(
        {
          'x-frame-options': 'DENY',
          'content-security-policy': "default-src 'self'",
          'referrer-policy': 'no-referrer',
        },
        actual,
      ),
    ).toEqual([
      `content-security-policy is "default-src *", expected "default-src 'self'"`,
      'referrer-policy is missing (expected "no-referrer")',
    ]);
  });

  test('memory and restarts', () => {
    const memory: ContainerMemory[] = [
      { service: 'jaeger', limit: 256 * MB, peak: 257 * MB, rss: 200 * MB, atLimit: 3 },
      { service: 'web', limit: 2 ** 62, peak: MB, rss: MB, atLimit: 0 },
    ];
    expect(
      memoryProblems(memory, [
        { service: 'jaeger', restartCount: 1, oomKilled: true },
        { service: 'api', restartCount: 0, oomKilled: false },
      ]),
    ).toEqual([
      'web has no memory limit',
      'jaeger was killed for running out of memory',
      'jaeger restarted 1 times',
    ]);
  });
});

test.describe('the containers', () => {
  test('every service is running and healthy', async () => {
    await expectAllHealthy(10_000);
  });

  test('no process of any container runs as root', () => {
    const processes = containerProcesses(composePs());
    const { all } = composeServices();
    expect(new Set(processes.map((p) => p.service))).toEqual(new Set(all));
    expect(rootProcesses(processes)).toEqual([]);
  });

  test('only the browser-facing ports are published, and only on 127.0.0.1', () => {
    expect(stack.bindHost).toBe('127.0.0.1');
    expect(
      publishProblems(composePs(), stack.bindHost, {
        [SERVICE_NAMES.web]: stack.web.port,
        [SERVICE_NAMES.api]: stack.api.port,
        collector: stack.collector.httpPort,
        jaeger: stack.jaeger.uiPort,
      }),
    ).toEqual([]);
  });

  test("the web container sends vite preview's security headers on every response", async () => {
    // The headers `vite preview` sends: web/vite.config.ts, run as Vite runs it
    // for preview, with this environment (the same ports and URLs as compose).
    const config = (viteConfig as unknown as PreviewConfigFn)({
      command: 'serve',
      mode: 'production',
      isPreview: true,
    });
    const expected = config.preview?.headers as Record<string, string>;
    expect(Object.keys(expected)).toContain('content-security-policy');
    const index = await fetch(stack.web.url);
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset, 'index.html names a script under /assets/').toBeDefined();
    for (const path of ['/', asset!, '/runtime-config.js', '/some/client/route', '/assets/missing.js']) {
      const response = await fetch(new URL(path, stack.web.url));
      await response.arrayBuffer();
      expect(headerProblems(expected, response.headers), `${path} (${response.status})`).toEqual([]);
    }
  });

  test('`docker compose restart jaeger inventory` keeps the stored traces and the SQLite data', async () => {
    test.setTimeout(150_000);
    // A row written into the inventory's SQLite file, inside its container.
    const id = randomInt(1_000_000, 2_000_000);
    dockerCompose([
      'exec',
      '-T',
      'inventory',
      'node',
      '-e',
      `const { DatabaseSync } = require('node:sqlite');
       const db = new DatabaseSync(process.env.INVENTORY_DATA_DIR + '/inventory.db');
       db.prepare('INSERT INTO items (id, name, stock) VALUES (?, ?, ?)').run(${id}, 'kept across restarts', 7);
       db.close();`,
    ]);
    const before = await getItem(id);
    expect(before.status).toBe(200);
    expect(before.body.name).toBe('kept across restarts');
    await waitForTrace({
      jaegerUrl: stack.jaeger.uiUrl,
      traceId: before.traceId,
      expect: [apiServer, apiClient, inventoryServer, inventoryDb],
    });

    dockerCompose(['restart', 'jaeger', 'inventory'], { timeout: 120_000 });
    await expectAllHealthy();

    const stored = await fetchTrace(stack.jaeger.uiUrl, before.traceId);
    expect(stored?.trace.spans.length, 'the trace stored before the restart').toBeGreaterThanOrEqual(4);
    const after = await getItem(id);
    expect(after.status).toBe(200);
    expect(after.body.name).toBe('kept across restarts');
    // The same lookups can fail: an id nobody wrote, a trace nobody made.
    expect((await getItem(id + 1)).status).toBe(404);
    expect(await fetchTrace(stack.jaeger.uiUrl, '0'.repeat(31) + '1')).toBeUndefined();
  });

  test('`docker compose stop api` while a request is in flight: it is answered and its spans arrive', async () => {
    test.setTimeout(120_000);
    // The inventory holds the request 3 s; the stop comes once the inventory
    // has logged it (so it is surely in flight at the API). SIGTERM reaches
    // node through init, Fastify finishes the request, then the spans are
    // flushed, then node exits (before compose's 15 s grace ends).
    const since = new Date().toISOString();
    const request = getItem(5, '?inventory_delay_ms=3000');
    await expect
      .poll(() => dockerCompose(['logs', '--since', since, SERVICE_NAMES.inventory]), { timeout: 10_000 })
      .toContain('delay_ms=3000');
    const started = Date.now();
    dockerCompose(['stop', 'api'], { timeout: 60_000 });
    const stoppedInMs = Date.now() - started;
    const { status, traceId } = await request;
    expect(status).toBe(200);
    const [api] = composePs().filter((r) => r.Service === SERVICE_NAMES.api);
    expect(api?.State).toBe('exited');
    const exitCode = containerExitCode(api!.ID);
    expect(exitCode, 'the API exits by itself (0), not killed at the end of the grace period (137)').toBe(0);
    test.info().annotations.push({ type: 'api stop took (ms)', description: String(stoppedInMs) });
    await waitForTrace({
      jaegerUrl: stack.jaeger.uiUrl,
      traceId,
      expect: [apiServer, apiClient, inventoryServer, inventoryDb],
      timeoutMs: 20_000,
    });
    dockerCompose(['start', 'api'], { timeout: 60_000 });
    await expectAllHealthy();
  });

  test('a minute of bounded load on loopback: every container within its memory limit, none restarted', async () => {
    test.setTimeout(240_000);
    const rows = composePs();
    const ids = new Map(rows.map((r) => [r.Service, fullContainerId(r.ID)]));
    const memory = () => rows.map((r) => containerMemory(r.Service, ids.get(r.Service)!));
    const idle = memory();
    test.info().annotations.push({ type: 'memory before the load', description: memoryReport(idle) });

    // Bounded: 8 clients, for 60 s or 100,000 requests, whichever comes first,
    // to the published API port on 127.0.0.1: web → api → inventory → SQLite,
    // and every span through the Collector into Jaeger's Badger store.
    const deadline = Date.now() + 60_000;
    let sent = 0;
    let ok = 0;
    let failed = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (Date.now() < deadline && sent < 100_000) {
          sent += 1;
          try {
            const response = await fetch(`${stack.api.url}/items/${1 + (sent % 100)}?q=load`);
            await response.arrayBuffer();
            if (response.ok) ok += 1;
            else failed += 1;
          } catch {
            failed += 1;
          }
        }
      }),
    );
    const loaded = memory();
    test
      .info()
      .annotations.push(
        { type: 'load', description: `${sent} requests in 60 s: ${ok} ok, ${failed} failed` },
        { type: 'memory after the load', description: memoryReport(loaded) },
      );
    console.log(
      `Load: ${sent} requests, ${ok} ok, ${failed} failed.\nIdle: ${memoryReport(idle)}\nAfter: ${memoryReport(loaded)}`,
    );
    expect(ok, 'the load reached the API').toBeGreaterThan(1000);
    expect(memoryProblems(loaded, containerStates(composePs()))).toEqual([]);
    await expectAllHealthy(30_000);
  });
});
