import { createServer } from 'node:http';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { StackStatusView } from '@tracing-demo/contracts';
import { isUntracedApiPath } from '@tracing-demo/stack';
import statusRoutes, { jaegerUiKind, type StatusRoutesOptions } from '../src/routes/status.ts';
import { appWithRoutes, closeAfterTest, closedPortUrl, listen } from './local-servers.ts';

/** The head of what the Go-built Jaeger (no UI assets) serves at `/`, as Jaeger 2.13 does. */
const PLACEHOLDER_PAGE = `<!DOCTYPE html><html lang="en"><title>Test Page</title><body>
<h1>🥋: This is not the Jaeger UI you are looking for!</h1>
<p>This is a placeholder for the Jaeger UI home page.</p></body></html>`;
/** The shape of the Jaeger UI's index.html (the official image). */
const REAL_UI_PAGE = `<!doctype html><html lang="en"><head><title>Jaeger UI</title></head>
<body><div id="jaeger-ui-root"></div><script type="module" src="./static/index.js"></script></body></html>`;

/** A real health endpoint answering `status` (or never answering), with the paths it was asked. */
async function healthServer(status: number | 'hang'): Promise<{ url: string; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    if (status === 'hang') return;
    res.writeHead(status, { 'content-type': 'application/json' }).end('{"status":"Server available"}');
  });
  return { url: await listen(server), paths };
}

async function getStatus(options: StatusRoutesOptions) {
  const app = await appWithRoutes(statusRoutes, options);
  const started = performance.now();
  const response = await app.inject({ method: 'GET', url: '/status' });
  return { response, elapsed: performance.now() - started };
}

describe('GET /status', () => {
  it('reports a 200 as reachable, a 500 and a closed port as unreachable', async () => {
    const up = await healthServer(200);
    const failing = await healthServer(500);
    const down = await closedPortUrl();
    const { response } = await getStatus({
      collectorHealthUrl: `${up.url}/`,
      jaegerHealthUrl: `${failing.url}/status`,
      inventoryHealthUrl: down,
      sampling: { topology: 'single' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<StackStatusView>()).toEqual({
      collector: { reachable: true, url: `${up.url}/` },
      jaeger: { reachable: false, url: `${failing.url}/status` },
      inventory: { reachable: false, url: down },
      sampling: { topology: 'single' },
      jaegerUi: 'unknown',
    });
    expect(up.paths).toEqual(['/']);
    expect(failing.paths).toEqual(['/status']);
  });

  it('reports everything reachable when every check answers 2xx', async () => {
    const ok = await healthServer(200);
    const noContent = await healthServer(204);
    const { response } = await getStatus({
      collectorHealthUrl: ok.url,
      jaegerHealthUrl: noContent.url,
      inventoryHealthUrl: `${ok.url}/health`,
      sampling: { topology: 'gateway', percent: 10, latencyMs: 1000 },
    });
    const body = response.json<StackStatusView>();
    expect([body.collector.reachable, body.jaeger.reachable, body.inventory.reachable]).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('counts a 503 (a health check saying not ready) as unreachable', async () => {
    const failing = await healthServer(503);
    const { response } = await getStatus({
      collectorHealthUrl: failing.url,
      jaegerHealthUrl: failing.url,
      inventoryHealthUrl: failing.url,
      sampling: { topology: 'single' },
    });
    expect(response.json<StackStatusView>().collector.reachable).toBe(false);
  });

  it('answers within about a second when every check hangs, the checks running in parallel', async () => {
    const hanging = await healthServer('hang');
    const { response, elapsed } = await getStatus({
      collectorHealthUrl: `${hanging.url}/a`,
      jaegerHealthUrl: `${hanging.url}/b`,
      inventoryHealthUrl: `${hanging.url}/c`,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      collector: { reachable: false, url: `${hanging.url}/a` },
      jaeger: { reachable: false, url: `${hanging.url}/b` },
      inventory: { reachable: false, url: `${hanging.url}/c` },
      sampling: { topology: 'single' },
      jaegerUi: 'unknown',
    });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(1900);
    expect(hanging.paths.sort()).toEqual(['/a', '/b', '/c']);
  });

  it('never throws: a bad URL, an unsupported scheme or a fetch that throws is unreachable', async () => {
    const real = await getStatus({
      collectorHealthUrl: 'not a url',
      jaegerHealthUrl: 'http://127.0.0.1:1/',
      inventoryHealthUrl: 'ftp://example.invalid/',
    });
    expect(real.response.statusCode).toBe(200);
    expect(real.response.json()).toEqual({
      collector: { reachable: false, url: 'not a url' },
      jaeger: { reachable: false, url: 'http://127.0.0.1:1/' },
      inventory: { reachable: false, url: 'ftp://example.invalid/' },
      sampling: { topology: 'single' },
      jaegerUi: 'unknown',
    });
    const throwing: typeof fetch = () => {
      throw new Error('synchronous failure');
    };
    const { response } = await getStatus({
      collectorHealthUrl: 'http://collector.test/',
      jaegerHealthUrl: 'http://jaeger.test/',
      inventoryHealthUrl: 'http://inventory.test/',
      fetch: throwing,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<StackStatusView>().collector).toEqual({
      reachable: false,
      url: 'http://collector.test/',
    });
  });

  it('uses the fetch it is given', async () => {
    const asked: string[] = [];
    const { response } = await getStatus({
      collectorHealthUrl: 'http://collector.test/',
      jaegerHealthUrl: 'http://jaeger.test/status',
      inventoryHealthUrl: 'http://inventory.test/health',
      fetch: async (input) => {
        asked.push(String(input));
        return new Response(null, { status: String(input).includes('jaeger') ? 503 : 200 });
      },
    });
    expect(asked.sort()).toEqual([
      'http://collector.test/',
      'http://inventory.test/health',
      'http://jaeger.test/status',
    ]);
    expect(response.json()).toEqual({
      collector: { reachable: true, url: 'http://collector.test/' },
      jaeger: { reachable: false, url: 'http://jaeger.test/status' },
      inventory: { reachable: true, url: 'http://inventory.test/health' },
      sampling: { topology: 'single' },
      jaegerUi: 'unknown',
    });
  });

  it('says whether Jaeger serves its UI or the placeholder page, from what its root serves', async () => {
    const serving = async (status: number, page: string | 'hang') => {
      const server = createServer((req, res) => {
        if (page === 'hang') return;
        res.writeHead(status, { 'content-type': 'text/html' }).end(page);
      });
      return listen(server);
    };
    const ui = async (jaegerUiUrl: string) => {
      const { response } = await getStatus({
        collectorHealthUrl: 'http://127.0.0.1:1/',
        jaegerHealthUrl: 'http://127.0.0.1:1/',
        inventoryHealthUrl: 'http://127.0.0.1:1/',
        jaegerUiUrl,
      });
      return response.json<StackStatusView>().jaegerUi;
    };
    expect(await ui(await serving(200, REAL_UI_PAGE))).toBe('real');
    expect(await ui(await serving(200, PLACEHOLDER_PAGE))).toBe('placeholder');
    // Anything else is not a UI the page may send people to.
    expect(await ui(await serving(200, '<html><body>nginx</body></html>'))).toBe('unknown');
    expect(await ui(await serving(500, REAL_UI_PAGE))).toBe('unknown');
    expect(await ui(await serving(200, 'hang'))).toBe('unknown');
    expect(await ui(await closedPortUrl())).toBe('unknown');
  });

  it('asks the UI root once per status, with a trailing slash whatever the configured URL', async () => {
    const asked: string[] = [];
    const fetchImpl: typeof fetch = async (input) => {
      asked.push(String(input));
      return new Response(String(input).includes('16686') ? PLACEHOLDER_PAGE : '', { status: 200 });
    };
    expect(await jaegerUiKind('http://jaeger.test:16686//', fetchImpl)).toBe('placeholder');
    expect(asked).toEqual(['http://jaeger.test:16686/']);
  });

  it('serves only untraced paths (UNTRACED_API_PATHS, routes with `otel: false`)', async () => {
    const app = closeAfterTest(Fastify());
    const paths: string[] = [];
    app.addHook('onRoute', (route) => {
      if (route.method === 'GET') paths.push(route.url);
    });
    await app.register(statusRoutes, {
      collectorHealthUrl: 'http://127.0.0.1:1/',
      jaegerHealthUrl: 'http://127.0.0.1:1/',
      inventoryHealthUrl: 'http://127.0.0.1:1/',
    });
    await app.ready();
    expect(paths).toEqual(['/status']);
    expect(paths.every((path) => isUntracedApiPath(path))).toBe(true);
  });
});
