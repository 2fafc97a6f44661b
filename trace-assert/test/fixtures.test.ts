/**
 * Runs test/playwright/fixtures.pw.ts in the real Playwright runner against a
 * fake Jaeger and checks the JSON report: attachments made, browser errors
 * turned into failures. Skipped when no Chromium is installed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadJson, OK_TRACE_ID } from './helpers.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

interface JsonResult {
  status: string;
  errors: { message?: string }[];
  attachments: { name: string; contentType: string; body?: string }[];
}
interface JsonSpec {
  title: string;
  tests: { results: JsonResult[] }[];
}
interface JsonSuite {
  specs?: JsonSpec[];
  suites?: JsonSuite[];
}

function specs(suite: JsonSuite): JsonSpec[] {
  return [...(suite.specs ?? []), ...(suite.suites ?? []).flatMap(specs)];
}

// Never skipped: `npm test` checks for Chromium first and says how to install it.
describe('traceTest fixtures (real Playwright runner)', () => {
  it('attaches fetched traces and fails tests on browser errors', async () => {
    const doc = loadJson('items-ok');
    const server = createServer((req, res) => {
      const found = req.url === `/api/v3/traces/${OK_TRACE_ID}`;
      res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(found ? doc : { error: { httpCode: 404, message: 'trace not found' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const out = mkdtempSync(join(tmpdir(), 'trace-assert-pw-'));
    const reportFile = join(out, 'report.json');
    try {
      await new Promise<void>((resolve) => {
        // Exit code 1 is expected: some self-tests are meant to fail.
        execFile(
          join(packageDir, 'node_modules/.bin/playwright'),
          ['test', '-c', 'test/playwright/playwright.config.ts', 'fixtures.pw.ts'],
          {
            cwd: packageDir,
            env: {
              ...process.env,
              JAEGER_URL: `http://127.0.0.1:${port}`,
              TRACE_ASSERT_PW_OUTPUT: join(out, 'results'),
              TRACE_ASSERT_PW_REPORT: reportFile,
              CI: '',
            },
          },
          () => resolve(),
        );
      });
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
        suites: JsonSuite[];
        errors: unknown[];
      };
      expect(report.errors).toEqual([]);
      const byTitle = new Map(report.suites.flatMap(specs).map((s) => [s.title, s.tests[0]?.results[0]]));

      const ok = byTitle.get('waitFor fetches from the jaegerUrl option and attaches the trace');
      expect(ok?.errors).toEqual([]);
      expect(ok?.status).toBe('passed');
      expect(ok?.attachments.map((a) => [a.name, a.contentType])).toEqual([
        [`trace ${OK_TRACE_ID}.json`, 'application/json'],
        [`trace ${OK_TRACE_ID}.txt`, 'text/plain'],
      ]);
      const waterfall = Buffer.from(ok?.attachments[1]?.body ?? '', 'base64').toString('utf8');
      expect(waterfall).toContain(`Open: http://127.0.0.1:${port}/trace/${OK_TRACE_ID}`);
      const raw = JSON.parse(
        Buffer.from(ok?.attachments[0]?.body ?? '', 'base64').toString('utf8'),
      ) as unknown;
      expect(raw).toEqual(doc);

      const custom = byTitle.get('waitFor and fetch read from the traceSource option');
      expect(custom?.errors).toEqual([]);
      expect(custom?.status).toBe('passed');
      const customWaterfall = Buffer.from(custom?.attachments[1]?.body ?? '', 'base64').toString('utf8');
      expect(customWaterfall).toContain(`Open: https://traces.example/${OK_TRACE_ID}`);

      const partial = byTitle.get('a timed-out wait still attaches the partial trace');
      expect(partial?.status).toBe('passed');
      expect(partial?.attachments.map((a) => a.name)).toEqual([
        `trace ${OK_TRACE_ID}.json`,
        `trace ${OK_TRACE_ID}.txt`,
      ]);

      const consoleError = byTitle.get('console errors fail the test at teardown');
      expect(consoleError?.status).toBe('failed');
      expect(consoleError?.errors[0]?.message).toContain('The page logged 1 unexpected error(s)');
      expect(consoleError?.errors[0]?.message).toContain('[console] boom from the page');

      const pageError = byTitle.get('uncaught page errors fail the test at teardown');
      expect(pageError?.status).toBe('failed');
      expect(pageError?.errors[0]?.message).toContain('[pageerror] Error: uncaught in page');

      expect(byTitle.get('allowed errors do not fail the test')?.status).toBe('passed');
      const noPage = byTitle.get(
        'a test that never uses the page opens none (browserErrors watches the page it uses)',
      );
      expect(noPage?.errors).toEqual([]);
      expect(noPage?.status).toBe('passed');
    } finally {
      server.closeAllConnections();
      server.close();
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
