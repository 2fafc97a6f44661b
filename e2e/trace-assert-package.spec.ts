/**
 * trace-assert as a package, the way a user gets it: `pnpm pack` (which
 * builds dist/ first), `npm install` of the tarball into a throwaway project
 * outside the workspace (with @playwright/test and the rest from the
 * registry, or npm's cache when it has them), a type check of that project
 * against the package's .d.ts, and one spec there (trace-assert-package/)
 * run by that project's own Playwright against the running stack. Then, from
 * here: the test span that the installed package exported is the root of one
 * connected trace with the API's and the inventory's spans.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumLaunchOptions } from '@tracing-demo/stack/chromium';
import { REPO_ROOT } from '@tracing-demo/stack/processes';
import { TEST_SERVICE_NAME } from '@tracing-demo/trace-assert';
import { expect, stack, test } from './fixtures.ts';
import { apiClient, apiServerFor, inventoryServer } from './selectors.ts';

const PACKAGE_DIR = join(REPO_ROOT, 'trace-assert');
const CONSUMER_FILES = fileURLToPath(new URL('trace-assert-package', import.meta.url));

/** The version of a dependency of the workspace package in `from`, so the throwaway project gets the same. */
function workspaceVersion(name: string, from = REPO_ROOT): string {
  const manifest = readFileSync(join(from, 'node_modules', name, 'package.json'), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}

/**
 * The environment of the commands run for the throwaway project: this one's
 * without what pnpm (npm_*) and the Playwright worker (TEST_*, PW_*) put in
 * it, which would make npm warn and the inner Playwright think it is a
 * worker; registry and proxy settings stay.
 */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(
    ([key]) =>
      !/^(npm_|TEST_|PW_|PLAYWRIGHT_)/i.test(key) ||
      /^npm_config_(registry|.*proxy|cafile|strict_ssl|cache)$/i.test(key),
  );
  return { ...Object.fromEntries(kept), PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', FORCE_COLOR: '0', ...extra };
}

/** Runs a command to its end: its stdout; rejects with all its output when it fails. */
function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { ...options, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error)
        reject(new Error(`${command} ${args.join(' ')} failed (in ${options.cwd}):\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

interface JsonTest {
  annotations: { type: string; description?: string }[];
  results: { status: string }[];
}
interface JsonSuite {
  specs?: { title: string; tests: JsonTest[] }[];
  suites?: JsonSuite[];
}
const testsOf = (suite: JsonSuite): JsonTest[] => [
  ...(suite.specs ?? []).flatMap((spec) => spec.tests),
  ...(suite.suites ?? []).flatMap(testsOf),
];

test('the packed trace-assert installs into a project of its own and runs a spec against the stack', async ({
  traces,
}, testInfo) => {
  // Packing builds with tsc and the first install downloads Playwright: minutes on a slow machine.
  test.setTimeout(300_000);
  const project = mkdtempSync(join(tmpdir(), 'trace-assert-package-'));
  const timings: string[] = [];
  const timed = async <T>(title: string, step: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await test.step(title, step);
    timings.push(`${title}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return result;
  };
  try {
    const packed = await timed('pnpm pack (builds dist/)', async () => {
      const out = await run('corepack', ['pnpm', 'pack', '--json', '--pack-destination', project], {
        cwd: PACKAGE_DIR,
        env: cleanEnv({}),
      });
      // The build (prepack) prints before pnpm's JSON.
      const manifest = JSON.parse(out.slice(out.search(/^\{/m))) as { filename: string };
      return manifest.filename;
    });

    await timed('npm install of the tarball', async () => {
      const tarball = join(project, 'trace-assert.tgz');
      renameSync(packed, tarball);
      const manifest = {
        name: 'trace-assert-consumer',
        private: true,
        type: 'module',
        devDependencies: {
          '@tracing-demo/trace-assert': 'file:./trace-assert.tgz',
          '@playwright/test': workspaceVersion('@playwright/test'),
          '@opentelemetry/api': workspaceVersion('@opentelemetry/api', PACKAGE_DIR),
          '@types/node': workspaceVersion('@types/node'),
          typescript: workspaceVersion('typescript'),
        },
      };
      writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
        cwd: project,
        env: cleanEnv({}),
      });
    });

    await timed('tsc: the spec and config against the .d.ts', async () => {
      copyFileSync(join(CONSUMER_FILES, 'consumer.pw.ts'), join(project, 'consumer.pw.ts'));
      copyFileSync(join(CONSUMER_FILES, 'consumer.config.ts'), join(project, 'playwright.config.ts'));
      const tsconfig = {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          // The package's declarations are checked too.
          skipLibCheck: false,
          types: ['node'],
        },
        include: ['*.ts'],
      };
      writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
      await run(join(project, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: project, env: cleanEnv({}) });
    });

    const output = await timed("playwright test, the project's own", () =>
      run(join(project, 'node_modules/.bin/playwright'), ['test'], {
        cwd: project,
        env: cleanEnv({
          API_URL: stack.api.url,
          JAEGER_URL: stack.jaeger.uiUrl,
          OTLP_TRACES_URL: stack.collector.httpTracesUrl,
          CHROMIUM_LAUNCH_OPTIONS: JSON.stringify(chromiumLaunchOptions()),
        }),
      }),
    );
    await testInfo.attach('the throwaway project’s Playwright output', {
      body: output,
      contentType: 'text/plain',
    });

    const report = JSON.parse(readFileSync(join(project, 'report.json'), 'utf8')) as {
      suites: JsonSuite[];
    };
    const [consumerTest, ...others] = report.suites.flatMap(testsOf);
    expect(others).toEqual([]);
    expect(consumerTest?.results.map((r) => r.status)).toEqual(['passed']);
    const annotation = consumerTest?.annotations.find((a) => a.type === 'e2e-trace')?.description ?? '';
    const [traceId = '', link] = annotation.split(' ');
    expect(link).toBe(`${stack.jaeger.uiUrl}/trace/${traceId}`);

    // The installed package's test span reached the Collector: the root of the API's and inventory's spans.
    const testSpan = { service: TEST_SERVICE_NAME, name: /a request sent with the test's traceparent/ };
    const server = apiServerFor('/items/:id');
    const { trace } = await traces.waitFor(traceId, [testSpan, server, apiClient, inventoryServer]);
    expect(trace).toBeConnectedTrace();
    expect(trace).toHaveChildSpan(testSpan, server);
    expect(trace).toHaveChildSpan(apiClient, inventoryServer);
  } finally {
    await testInfo.attach('time per step', { body: timings.join('\n'), contentType: 'text/plain' });
    rmSync(project, { recursive: true, force: true });
  }
});
