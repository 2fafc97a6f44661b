/**
 * The runtime config as the browser gets it: the default public/runtime-config.js
 * (natively), index.html loading it before the app, and the file the Docker
 * image writes when the container starts (docker/40-tracing-demo-runtime-config.sh,
 * run here with the machine's /bin/sh; the image runs it with busybox's), from
 * the table the image is built with (docker/browser-config-table.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BROWSER_ENDPOINT_KEYS,
  BROWSER_ENDPOINTS,
  browserEndpoints,
  connectUrls,
} from '@tracing-demo/stack/browser-config';
import { DEFAULTS } from '@tracing-demo/stack';
import { resolveAppConfig, RUNTIME_CONFIG_GLOBAL } from '../src/resolve-config';
import { browserConfigTable } from '../docker/browser-config-table.ts';
import { CONNECT_PLACEHOLDER, nginxSecurityHeaders } from '../docker/nginx-headers.ts';
import { webSecurityHeaders } from '../security-headers.ts';

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

describe('web/Dockerfile', () => {
  it("listens by default on the stack's web port (compose passes WEB_PORT)", () => {
    const dockerfile = readFileSync(join(WEB, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(new RegExp(`^ENV WEB_PORT=${DEFAULTS.WEB_PORT}$`, 'm'));
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${DEFAULTS.WEB_PORT}$`, 'm'));
    expect(dockerfile).toContain('/etc/nginx/tracing-demo-browser-config.sh');
  });
});

describe('the container entrypoint script', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runtime-config-'));
  const out = join(dir, 'runtime-config.js');
  const headersTemplate = join(dir, 'security-headers.inc.in');
  const headersOut = join(dir, 'security-headers.inc');
  const table = join(dir, 'browser-config.sh');
  writeFileSync(headersTemplate, nginxSecurityHeaders());
  writeFileSync(table, browserConfigTable());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const files = {
    RUNTIME_CONFIG_FILE: out,
    SECURITY_HEADERS_TEMPLATE: headersTemplate,
    SECURITY_HEADERS_FILE: headersOut,
    BROWSER_CONFIG_TABLE: table,
  };

  function run(env: Record<string, string>) {
    return spawnSync('sh', [SCRIPT], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...files, ...env },
      encoding: 'utf8',
    });
  }

  /** The headers nginx would send: name → value, from the add_header lines written. */
  function headersWritten(env: Record<string, string>): Record<string, string> {
    execFileSync('sh', [SCRIPT], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...files, ...env } });
    return Object.fromEntries(
      readFileSync(headersOut, 'utf8')
        .trim()
        .split('\n')
        .map((line) => {
          const match = /^add_header (\S+) "([^"]*)" always;$/.exec(line);
          if (!match) throw new Error(`not an add_header line: ${line}`);
          return [match[1]!, match[2]!];
        }),
    );
  }

  it('writes the security headers of vite preview, with the origins the page connects to', () => {
    expect(headersWritten({})).toEqual(
      webSecurityHeaders({ connectTo: connectUrls(browserEndpoints({})), webOrigins: [] }),
    );
    const proxied = {
      API_URL: 'https://demo.example/api',
      COLLECTOR_OTLP_HTTP_TRACES_URL: 'https://demo.example/v1/traces',
    };
    expect(headersWritten(proxied)).toEqual(
      webSecurityHeaders({ connectTo: Object.values(proxied), webOrigins: [] }),
    );
    expect(headersWritten(proxied)['content-security-policy']).toContain(
      "connect-src 'self' https://demo.example;",
    );
  });

  it('the template carries the placeholder only where connect-src lists origins, and a bad value is refused', () => {
    const template = nginxSecurityHeaders();
    expect(template.split(CONNECT_PLACEHOLDER)).toHaveLength(2);
    expect(template).toContain(`connect-src 'self' ${CONNECT_PLACEHOLDER};`);
    // Another origin than the page uses: the comparison above would see it.
    expect(headersWritten({ API_URL: 'http://127.0.0.1:3999' })['content-security-policy']).not.toContain(
      'http://127.0.0.1:3000',
    );
  });

  function written(env: Record<string, string>): unknown {
    execFileSync('sh', [SCRIPT], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...files, ...env },
      stdio: 'pipe',
    });
    return evaluate(readFileSync(out, 'utf8'))[RUNTIME_CONFIG_GLOBAL];
  }

  it('writes the defaults of stack/src/browser-config.ts when no variable is set', () => {
    expect(written({})).toEqual(browserEndpoints({}));
    expect(written({})).toEqual({
      apiUrl: 'http://127.0.0.1:3000',
      otlpTracesUrl: 'http://127.0.0.1:4318/v1/traces',
      jaegerUrl: 'http://127.0.0.1:16686',
    });
  });

  it.each(BROWSER_ENDPOINT_KEYS)(
    'takes %s as stack/src/browser-config.ts does: VITE_* first, then *_URL',
    (key) => {
      const { viteName, stackName } = BROWSER_ENDPOINTS[key];
      const cases = [
        { [stackName]: 'https://stack.example/x' },
        { [viteName]: 'https://vite.example/y', [stackName]: 'http://ignored:1' },
        { [viteName]: '', [stackName]: 'https://stack.example/z' },
      ];
      for (const env of cases) {
        expect((written(env) as Record<string, string>)[key], JSON.stringify(env)).toBe(
          browserEndpoints(env)[key],
        );
      }
    },
  );

  it('reads no port: compose passes the URLs it derives from them (compose.yaml, service web)', () => {
    expect(written({ API_PORT: '3100', COLLECTOR_OTLP_HTTP_PORT: '4400', JAEGER_UI_PORT: '16700' })).toEqual(
      written({}),
    );
    expect(readFileSync(SCRIPT, 'utf8')).not.toMatch(/_PORT|\b(?:3000|4318|16686)\b/);
  });

  it('the table carries only plain URLs and names, and refuses anything else', () => {
    expect(browserConfigTable()).toContain(`runtime_config_global=${RUNTIME_CONFIG_GLOBAL}\n`);
    const defaults = browserEndpoints({});
    for (const bad of [
      'http://x/"$(reboot)"',
      "http://x/'",
      'http://x y',
      'javascript:alert(1)',
      'http://x`id`',
    ]) {
      expect(() => browserConfigTable({ ...defaults, jaegerUrl: bad }), bad).toThrow(
        /cannot carry the default/,
      );
    }
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
