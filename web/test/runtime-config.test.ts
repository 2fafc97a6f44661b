/**
 * The runtime config as the browser gets it: the default public/runtime-config.js
 * (natively), index.html loading it before the app, and the file the Docker
 * image writes when the container starts (docker/40-tracing-demo-runtime-config.sh,
 * run here with the machine's /bin/sh; the image runs it with busybox's).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveAppConfig, RUNTIME_CONFIG_GLOBAL } from '../src/resolve-config';

const WEB = join(import.meta.dirname, '..');
const SCRIPT = join(WEB, 'docker', '40-tracing-demo-runtime-config.sh');

/** Runs a classic script the way a page does: `window` is the global object. */
function evaluate(source: string): Record<string, unknown> {
  const window: Record<string, unknown> = {};
  runInNewContext(source, { window });
  return window;
}

describe('public/runtime-config.js', () => {
  it('sets nothing by default, so the native page uses import.meta.env', () => {
    const window = evaluate(readFileSync(join(WEB, 'public', 'runtime-config.js'), 'utf8'));
    expect(window).toEqual({});
  });

  it('is loaded by index.html before the app', () => {
    const html = readFileSync(join(WEB, 'index.html'), 'utf8');
    const runtime = html.indexOf('<script src="/runtime-config.js"></script>');
    const app = html.indexOf('<script type="module" src="/src/main.tsx"></script>');
    expect(runtime).toBeGreaterThan(-1);
    expect(app).toBeGreaterThan(runtime);
  });
});

describe('the container entrypoint script', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runtime-config-'));
  const out = join(dir, 'runtime-config.js');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function run(env: Record<string, string>) {
    return spawnSync('sh', [SCRIPT], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', RUNTIME_CONFIG_FILE: out, ...env },
      encoding: 'utf8',
    });
  }

  function written(env: Record<string, string>): unknown {
    execFileSync('sh', [SCRIPT], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', RUNTIME_CONFIG_FILE: out, ...env },
      stdio: 'pipe',
    });
    return evaluate(readFileSync(out, 'utf8'))[RUNTIME_CONFIG_GLOBAL];
  }

  it('derives the URLs from the ports, like stack/src/config.ts', () => {
    expect(written({})).toEqual({
      apiUrl: 'http://127.0.0.1:3000',
      otlpTracesUrl: 'http://127.0.0.1:4318/v1/traces',
      jaegerUrl: 'http://127.0.0.1:16686',
    });
    expect(written({ API_PORT: '3100', COLLECTOR_OTLP_HTTP_PORT: '4400', JAEGER_UI_PORT: '16700' })).toEqual({
      apiUrl: 'http://127.0.0.1:3100',
      otlpTracesUrl: 'http://127.0.0.1:4400/v1/traces',
      jaegerUrl: 'http://127.0.0.1:16700',
    });
  });

  it('takes VITE_* first, then the *_URL variables', () => {
    const config = written({
      VITE_API_URL: 'https://api.example',
      API_URL: 'http://ignored:1',
      COLLECTOR_OTLP_HTTP_TRACES_URL: 'https://otel.example/v1/traces',
      JAEGER_URL: 'https://jaeger.example',
    });
    expect(config).toEqual({
      apiUrl: 'https://api.example',
      otlpTracesUrl: 'https://otel.example/v1/traces',
      jaegerUrl: 'https://jaeger.example',
    });
  });

  it('writes what the app accepts', () => {
    const config = resolveAppConfig(written({ API_URL: 'http://demo.local:3000/' }), {});
    expect(config.apiUrl).toBe('http://demo.local:3000');
  });

  it.each([
    ['a quote that would end the string', 'http://x/"+alert(1)+"'],
    ['a closing script tag', 'http://x/</script>'],
    ['a backslash', 'http://x\\y'],
    ['a space', 'http://x y'],
    ['a newline', 'http://x\ny'],
    ['another scheme', 'javascript:alert(1)'],
    ['no host', 'http://'],
  ])('refuses %s, naming the variable', (_label, value) => {
    const result = run({ API_URL: value });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('API_URL');
  });
});
