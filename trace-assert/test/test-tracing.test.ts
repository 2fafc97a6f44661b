/**
 * Runs test/playwright/test-tracing.pw.ts in the real Playwright runner and
 * checks what reached the Collector (a fake one that records OTLP/JSON), what
 * the report says, and what a person reads in the list reporter's output;
 * then the same run against a Collector that never answers.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { TraceSpan } from '../src/model.ts';
import { parseOtlpSpans } from '../src/otlp-json.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** The page the traced tests visit: its first script records the traceparent meta it sees, then it fetches /api. */
const PAGE = `<!doctype html><html><head>
<script>globalThis.metaAtFirstScript = document.querySelector('meta[name="traceparent"]')?.content ?? null;</script>
</head><body><script>fetch('/api')</script></body></html>`;

interface JsonResult {
  status: string;
  errors: { message?: string }[];
  attachments: { name: string; contentType: string; body?: string }[];
  annotations: { type: string; description?: string }[];
}
interface JsonSuite {
  specs?: { title: string; tests: { results: JsonResult[] }[] }[];
  suites?: JsonSuite[];
}

function results(suite: JsonSuite): [string, JsonResult | undefined][] {
  return [
    ...(suite.specs ?? []).map((s): [string, JsonResult | undefined] => [s.title, s.tests[0]?.results[0]]),
    ...(suite.suites ?? []).flatMap(results),
  ];
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const servers: Server[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A page server (GET /, GET /api) whose /api records the traceparent header it got. */
async function pageServer(): Promise<string> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': req.url === '/' ? 'text/html' : 'text/plain' });
    res.end(req.url === '/' ? PAGE : 'ok');
  });
  servers.push(server);
  return listen(server);
}

/** Runs the self-test with `env`; the report, the runner's output. */
async function runSelfTest(env: Record<string, string>, args: string[] = []) {
  const out = mkdtempSync(join(tmpdir(), 'trace-assert-tt-'));
  dirs.push(out);
  const reportFile = join(out, 'report.json');
  const output = await new Promise<string>((resolve) => {
    // Exit code 1 is expected: one self-test is meant to fail.
    execFile(
      join(packageDir, 'node_modules/.bin/playwright'),
      ['test', '-c', 'test/playwright/playwright.config.ts', 'test-tracing.pw.ts', ...args],
      {
        cwd: packageDir,
        env: {
          ...process.env,
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
          ...env,
          TRACE_ASSERT_PW_OUTPUT: join(out, 'results'),
          TRACE_ASSERT_PW_REPORT: reportFile,
          CI: '',
          FORCE_COLOR: '0',
        },
      },
      (_error, stdout, stderr) => resolve(`${stdout}\n${stderr}`),
    );
  });
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { suites: JsonSuite[]; errors: unknown[] };
  expect(report.errors).toEqual([]);
  return { byTitle: new Map(report.suites.flatMap(results)), output };
}

const FAILING = 'a failing traced test names its trace';
const TRACED = 'hands its context to the page as a meta, before the first script';
const EXPECTED_FAILURE = 'an expected failure is not an error';
const TEARDOWN_FAILURE = 'a failure found at teardown (a browser error) is an error too';
const UNTRACED = 'an untraced test has no span and hands nothing to the page';

// Never skipped: `npm test` checks for Chromium first and says how to install it.
describe('test tracing (real Playwright runner)', () => {
  it('exports one e2e span per traced test, hands its context to the page, names the trace of a failure', async () => {
    const received: TraceSpan[] = [];
    const collector = createServer((req, res) => {
      void body(req).then((text) => {
        if (req.method === 'POST' && req.url === '/v1/traces')
          received.push(...parseOtlpSpans(JSON.parse(text)));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    servers.push(collector);
    const collectorUrl = await listen(collector);
    const jaegerUrl = 'http://127.0.0.1:16686';

    const { byTitle, output } = await runSelfTest({
      // The generic variable: the fixture appends /v1/traces, as the SDKs do.
      OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
      JAEGER_URL: jaegerUrl,
      TRACE_ASSERT_PW_PAGE: `${await pageServer()}/`,
    });

    expect(byTitle.get(TRACED)?.status).toBe('passed');
    expect(byTitle.get(UNTRACED)?.status).toBe('passed');
    expect(byTitle.get(EXPECTED_FAILURE)?.status).toBe('failed'); // as expected: test.fail()
    const failing = byTitle.get(FAILING);
    expect(failing?.status).toBe('failed');

    // Every span arrived before the worker ended: one per traced test, none for the untraced one.
    const byName = new Map(received.map((span) => [span.name, span]));
    expect(received.map((span) => span.name).sort()).toEqual(
      [EXPECTED_FAILURE, FAILING, TEARDOWN_FAILURE, TRACED].map((title) => `traced › ${title}`).sort(),
    );
    for (const span of received) {
      expect(span.service).toBe('e2e');
      expect(span.parentSpanId).toBeUndefined();
      expect(span.attributes['code.file.path']).toBe(join(packageDir, 'test/playwright/test-tracing.pw.ts'));
      expect(span.attributes['playwright.project.name']).toBe('');
      expect(span.attributes['playwright.test.retry']).toBe(0);
    }

    const traced = byName.get(`traced › ${TRACED}`)!;
    expect(traced.attributes).toMatchObject({
      'test.case.name': `test-tracing.pw.ts › traced › ${TRACED}`,
      'test.suite.name': 'test-tracing.pw.ts › traced',
      'playwright.test.title': TRACED,
      'playwright.test.status': 'passed',
      'test.case.result.status': 'pass',
    });
    expect(traced.status.code).toBe('UNSET');
    expect(byTitle.get(TRACED)?.annotations).toContainEqual({
      type: 'e2e-trace',
      description: `${traced.traceId} ${jaegerUrl}/trace/${traced.traceId}`,
    });
    expect(byTitle.get(TRACED)?.attachments.filter((a) => a.name === 'e2e trace')).toEqual([]);

    const failed = byName.get(`traced › ${FAILING}`)!;
    expect(failed.status.code).toBe('ERROR');
    expect(failed.status.message).toContain('deliberately failing');
    expect(failed.status.message).toContain('Expected: 2');
    // eslint-disable-next-line no-control-regex -- ESC starts every ANSI colour sequence.
    expect(failed.status.message).not.toMatch(/\u001b\[/);
    expect(failed.attributes).toMatchObject({
      'playwright.test.status': 'failed',
      'test.case.result.status': 'fail',
    });
    expect(failed.events.map((event) => event.name)).toEqual(['exception']);
    // The failure names its trace: in the report, and under the failure in the list reporter's output.
    const line = `trace ${failed.traceId}: ${jaegerUrl}/trace/${failed.traceId}`;
    const attached = failing?.attachments.filter((a) => a.name === 'e2e trace');
    expect(attached?.map((a) => Buffer.from(a.body ?? '', 'base64').toString())).toEqual([line]);
    expect(output).toContain(line);

    const expectedFailure = byName.get(`traced › ${EXPECTED_FAILURE}`)!;
    expect(expectedFailure.status.code).toBe('UNSET');
    expect(expectedFailure.attributes).toMatchObject({
      'playwright.test.status': 'failed',
      'playwright.test.expected_status': 'failed',
      'test.case.result.status': 'pass',
    });
    // The browserErrors check fails the test in a teardown that runs before the span ends.
    expect(byTitle.get(TEARDOWN_FAILURE)?.status).toBe('failed');
    const teardown = byName.get(`traced › ${TEARDOWN_FAILURE}`)!;
    expect(teardown.status).toMatchObject({
      code: 'ERROR',
      message: expect.stringContaining('boom at teardown'),
    });

    expect(new Set(received.map((span) => span.traceId)).size).toBe(received.length);
  }, 60_000);

  it('a Collector that never answers neither fails nor hangs the run: one warning, the same results', async () => {
    const sockets = new Set<Socket>();
    // Accepts connections and never answers.
    const blackHole = createServer(() => {});
    blackHole.on('connection', (socket) => sockets.add(socket));
    servers.push(blackHole);
    const url = `${await listen(blackHole)}/v1/traces`;

    const { byTitle, output } = await runSelfTest(
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url, TRACE_ASSERT_PW_PAGE: `${await pageServer()}/` },
      // The checks above need no second look; fewer failures, fewer workers to wait for.
      ['--grep-invert', 'teardown|expected failure'],
    );
    for (const socket of sockets) socket.destroy();

    expect(byTitle.get(TRACED)?.status).toBe('passed');
    expect(byTitle.get(UNTRACED)?.status).toBe('passed');
    expect(byTitle.get(FAILING)?.status).toBe('failed');
    expect(byTitle.get(FAILING)?.errors).toHaveLength(1);
    expect(sockets.size).toBeGreaterThan(0);
    const warnings = output.match(/\[trace-assert\] test spans could not be exported to [^\n]*/g) ?? [];
    // One per worker that exported: the traced tests share the first worker
    // (the failing one ends it); the untraced test runs in the next, silent.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(url);
  }, 60_000);
});
