/**
 * Bad input and exposure, against a private copy of the real stack (its own
 * ports, see own-stack.ts): oversized and hostile requests to the API, hostile
 * propagation headers, bad bodies to the Collector, CORS from a foreign origin
 * in a real browser, listen addresses, secrets in spans, security headers.
 */
import { createServer, type Server } from 'node:http';
import { fetchTrace, formatTraceparent, parseTraceparent, waitForTrace } from '@tracing-demo/trace-assert';
import { expect } from '../fixtures.ts';
import { apiServerFor, browserFetch, userAction } from '../selectors.ts';
import {
  cspProblems,
  exposedListeners,
  findValues,
  headerProblems,
  listeningSocketsOf,
  oversizedStrings,
  traceStateProblems,
} from './checks.ts';
import { OwnDemoPage, ownStackTest } from './own-stack.ts';
import { newSpanId, newTraceId, otlpJson, postOtlp, rawHttp, sampledTraceparent } from './wire.ts';

const test = ownStackTest(['jaeger', 'collector', 'inventory', 'api', 'web']);

/** The headers every API answer carries (server/src/plugins/security-headers.ts). */
const API_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': /frame-ancestors 'none'/,
  'cross-origin-resource-policy': 'same-origin',
};

const FOREIGN_ORIGIN_HOST = '127.0.0.1';

test.describe('bad input to the API (raw HTTP client)', () => {
  test('oversized URL → 414, oversized headers → 431, broken input → 4xx, all JSON; the API keeps answering', async ({
    own,
  }) => {
    const api = own.config.api.url;
    const cases: { name: string; send: () => Promise<{ status: number; type: string; body: string }> }[] = [
      {
        name: 'a 3000-character query string',
        send: () => get(`${api}/items/5?q=x&pad=${'p'.repeat(3000)}`),
      },
      { name: 'a path parameter of 200 characters', send: () => get(`${api}/items/${'1'.repeat(200)}`) },
      { name: 'broken percent-encoding', send: () => get(`${api}/items/%E0%A4%A`) },
      { name: 'a q of 300 characters', send: () => get(`${api}/items/5?q=${'q'.repeat(300)}`) },
      { name: 'an unknown route', send: () => get(`${api}/admin/.env`) },
      {
        name: 'a 20 KiB header block',
        send: async () => {
          const response = await rawHttp(
            api,
            `GET /items/5 HTTP/1.1\r\nHost: x\r\nx-filler: ${'a'.repeat(20 * 1024)}\r\n\r\n`,
          );
          return {
            status: response.status,
            type: response.headers['content-type'] ?? '',
            body: response.body,
          };
        },
      },
      {
        name: 'a request that is not HTTP',
        send: async () => {
          const response = await rawHttp(api, 'HELLO\r\n\r\n');
          return {
            status: response.status,
            type: response.headers['content-type'] ?? '',
            body: response.body,
          };
        },
      },
    ];
    const expected = [414, 414, 400, 400, 404, 431, 400];
    const statuses: number[] = [];
    for (const { name, send } of cases) {
      const { status, type, body } = await send();
      statuses.push(status);
      expect(type, name).toMatch(/^application\/json/);
      expect(JSON.parse(body), name).toMatchObject({ statusCode: status });
      // Still alive and answering normally after each one.
      const after = await fetch(`${api}/items/6`);
      expect(after.status, `after ${name}`).toBe(200);
      expect(await after.json()).toMatchObject({ item_id: 6, q: null });
    }
    expect(statuses).toEqual(expected);
    expect(own.isRunning('api')).toBe(true);
    expect(own.output('api')).not.toMatch(/"level":(50|60)/);
  });
});

test.describe('hostile propagation headers', () => {
  const marker = () => newTraceId().slice(0, 12);

  test('never a 5xx; tracestate and baggage are bounded and never land in span attributes', async ({
    own,
    traces,
  }) => {
    const api = own.config.api.url;
    const dropped: string[] = [];
    const neverInSpans: string[] = [];

    // 40 tracestate members: the API keeps the first 32 and drops the rest.
    const m1 = marker();
    const manyMembers = Array.from({ length: 40 }, (_, i) =>
      i < 32 ? `k${i}=v${i}` : `k${i}=drop${m1}x${i}`,
    ).join(',');
    dropped.push(...Array.from({ length: 8 }, (_, i) => `drop${m1}x${i + 32}`));

    // A member that would take the tracestate over 512 characters.
    const m2 = marker();
    const longMember = `big=${m2}${'v'.repeat(600)}`;
    dropped.push(m2);

    // Baggage over 8192 bytes; baggage with broken percent-encoding.
    const m3 = marker();
    const bigBaggage = [0, 1, 2].map((i) => `b${i}=${m3}${i}${'x'.repeat(3000)}`).join(',');
    const m4 = marker();
    const badBaggage = `bad=${m4}%E0%A4%A,good=${m4}ok,${'%%%'}=x`;
    neverInSpans.push(m3, m4);

    const cases = [
      { name: '40 tracestate members', tracestate: manyMembers, baggage: undefined },
      { name: 'a tracestate over 512 characters', tracestate: `ok=1,${longMember}`, baggage: undefined },
      { name: 'baggage over 8192 bytes', tracestate: undefined, baggage: bigBaggage },
      { name: 'baggage with broken encoding', tracestate: undefined, baggage: badBaggage },
      {
        name: 'all of it at once',
        tracestate: `${manyMembers},${longMember}`,
        baggage: `${bigBaggage},${badBaggage}`,
      },
    ];

    const traceIds: string[] = [];
    for (const { name, tracestate, baggage } of cases) {
      const { traceId, traceparent } = sampledTraceparent();
      traceIds.push(traceId);
      const headers: Record<string, string> = { traceparent };
      if (tracestate !== undefined) headers.tracestate = tracestate;
      if (baggage !== undefined) headers.baggage = baggage;
      // /propagation answers what the API kept of them.
      const response = await fetch(`${api}/propagation`, { headers });
      expect(response.status, name).toBe(200);
      const kept = (await response.json()) as {
        traceId: string;
        tracestate: string;
        baggage: Record<string, string>;
      };
      expect(kept.traceId, name).toBe(traceId);
      expect(traceStateProblems(kept.tracestate), name).toEqual([]);
      for (const value of dropped) expect(kept.tracestate, name).not.toContain(value);
      const baggageBytes = Object.entries(kept.baggage).reduce(
        (sum, [key, value]) => sum + encodeURIComponent(key).length + encodeURIComponent(value).length + 2,
        0,
      );
      expect(baggageBytes, name).toBeLessThanOrEqual(8192);
      expect(Object.keys(kept.baggage), name).not.toContain('bad');
      // The same headers on a real route: answered normally.
      expect((await fetch(`${api}/items/1?q=hostile`, { headers })).status, name).toBe(200);
    }

    // A malformed traceparent with hostile companions: a new trace, never a 5xx.
    const broken = await fetch(`${api}/items/2`, {
      headers: {
        traceparent: `00-${'z'.repeat(32)}-${'1'.repeat(16)}-01`,
        tracestate: manyMembers,
        baggage: bigBaggage,
      },
    });
    expect(broken.status).toBe(200);
    const serverTiming = /trace;desc="?([^",]+)"?/.exec(broken.headers.get('server-timing') ?? '');
    traceIds.push(parseTraceparent(serverTiming![1]!).traceId);

    for (const traceId of traceIds) {
      const { raw } = await traces.waitFor(traceId, [{ service: 'api', kind: 'SERVER' }]);
      expect(findValues(raw, [...dropped, ...neverInSpans]), traceId).toEqual([]);
      // Neither @fastify/otel nor the undici instrumentation records request headers: keep it so.
      expect(findValues(raw, ['http.request.header.', 'tracestate', 'baggage']), traceId).toEqual([]);
      expect(oversizedStrings(raw, 512), traceId).toEqual([]);
      for (const traceState of findTraceStates(raw))
        expect(traceStateProblems(traceState), traceId).toEqual([]);
    }
  });
});

test.describe('the Collector OTLP/HTTP receiver', () => {
  const LIMIT = 4 * 1024 * 1024; // COLLECTOR_OTLP_HTTP_MAX_BODY_BYTES default

  /** Valid OTLP/JSON padded with whitespace to exactly `bytes`. */
  const paddedJson = (bytes: number) => {
    const json = '{"resourceSpans":[]}';
    return json + ' '.repeat(bytes - json.length);
  };

  test('refuses an oversized body, malformed JSON and protobuf; good spans after them still arrive', async ({
    own,
    traces,
  }) => {
    const url = own.config.collector.httpTracesUrl;
    // The limit is the configured 4 MiB, not the upstream 20 MiB default.
    expect((await postOtlp(url, paddedJson(LIMIT))).status).toBe(200);
    const tooBig = await postOtlp(url, paddedJson(LIMIT + 1));
    // The Go Collector (v0.160) answers 400, not 413, with this message.
    expect([400, 413]).toContain(tooBig.status);
    expect(tooBig.body).toMatch(/request body too large/);
    expect(
      (await postOtlp(url, Buffer.alloc(LIMIT + 1), 'application/x-protobuf')).status,
    ).toBeGreaterThanOrEqual(400);

    const malformed = [
      { name: 'truncated JSON', body: '{"resourceSpans":[', type: 'application/json' },
      { name: 'JSON of the wrong shape', body: '{"resourceSpans":{"x":1}}', type: 'application/json' },
      { name: 'a bad trace id', body: otlpJson([{ traceId: 'not-hex' }]), type: 'application/json' },
      {
        name: 'garbage protobuf',
        body: Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02]),
        type: 'application/x-protobuf',
      },
      {
        name: 'truncated protobuf',
        body: Buffer.from([0x0a, 0x80, 0x01, 0x0a]),
        type: 'application/x-protobuf',
      },
    ];
    for (const { name, body, type } of malformed) {
      const response = await postOtlp(url, body, type);
      expect(response.status, name).toBe(400);
    }
    expect((await postOtlp(url, 'hello', 'text/plain')).status).toBe(415);

    // None of it stopped the pipeline: a good span sent after arrives.
    const traceId = newTraceId();
    expect((await postOtlp(url, otlpJson([{ traceId, name: 'after the bad ones' }]))).status).toBe(200);
    await traces.waitFor(traceId, [{ service: 'fault-test', name: 'after the bad ones' }]);
    expect(own.isRunning('collector')).toBe(true);
  });
});

test.describe('CORS: only the configured web origins', () => {
  let foreign: Server;
  let foreignUrl: string;

  test.beforeAll(async () => {
    // Another site on this machine: a blank page on a port of its own.
    foreign = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>foreign</title>');
    });
    await new Promise<void>((resolve) => foreign.listen(0, FOREIGN_ORIGIN_HOST, resolve));
    foreignUrl = `http://${FOREIGN_ORIGIN_HOST}:${(foreign.address() as { port: number }).port}/`;
  });

  test.afterAll(async () => {
    await new Promise((resolve) => foreign.close(resolve));
  });

  test('raw preflights and requests from a foreign origin get no grant', async ({ own }) => {
    const evil = new URL(foreignUrl).origin;
    const allowed = own.config.web.allowedOrigins[0]!;
    const preflight = (url: string, origin: string, method: string, headers: string) =>
      fetch(url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': method,
          'access-control-request-headers': headers,
        },
      });
    const api = `${own.config.api.url}/items/5`;
    const collector = own.config.collector.httpTracesUrl;

    for (const [url, method, headers] of [
      [api, 'GET', 'traceparent'],
      [collector, 'POST', 'content-type'],
    ] as const) {
      const refused = await preflight(url, evil, method, headers);
      expect(refused.headers.get('access-control-allow-origin'), url).toBeNull();
      expect(refused.headers.get('access-control-allow-credentials'), url).toBeNull();
      // Control: the web app's own origin is granted.
      const granted = await preflight(url, allowed, method, headers);
      expect(granted.headers.get('access-control-allow-origin'), url).toBe(allowed);
    }
    const simple = await fetch(api, { headers: { origin: evil } });
    expect(simple.status).toBe(200);
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    expect(simple.headers.get('timing-allow-origin')).toBeNull();
  });

  test('a page on another origin, in a real browser, can neither read the API nor post spans', async ({
    own,
    page,
    browserErrors,
  }) => {
    // Chromium reports each refusal in the console; those are this test's point.
    browserErrors.allow(/blocked by CORS policy|ERR_BLOCKED_BY_RESPONSE|ERR_FAILED|status of 415/);
    await page.goto(foreignUrl);
    const smuggledTraceId = newTraceId();
    const plainTraceId = newTraceId();
    const results = await page.evaluate(
      async ({ api, collector, json, plain, traceparent }) => {
        const attempt = async (init: () => Promise<Response>) => {
          try {
            const response = await init();
            return { ok: true, type: response.type, status: response.status, body: await response.text() };
          } catch (error) {
            return { ok: false, error: String(error) };
          }
        };
        return {
          read: await attempt(() => fetch(`${api}/items/5`)),
          withTraceparent: await attempt(() => fetch(`${api}/items/5`, { headers: { traceparent } })),
          noCors: await attempt(() => fetch(`${api}/items/5`, { mode: 'no-cors' })),
          postSpans: await attempt(() =>
            fetch(collector, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json }),
          ),
          postPlain: await attempt(() =>
            fetch(collector, {
              method: 'POST',
              mode: 'no-cors',
              headers: { 'content-type': 'text/plain' },
              body: plain,
            }),
          ),
        };
      },
      {
        api: own.config.api.url,
        collector: own.config.collector.httpTracesUrl,
        json: otlpJson([{ traceId: smuggledTraceId }], 'foreign'),
        plain: otlpJson([{ traceId: plainTraceId }], 'foreign'),
        traceparent: formatTraceparent({ traceId: newTraceId(), parentSpanId: newSpanId(), sampled: true }),
      },
    );
    // CORS: the answer is not readable, and the preflight for traceparent fails.
    expect(results.read).toMatchObject({ ok: false, error: expect.stringMatching(/TypeError/) });
    expect(results.withTraceparent).toMatchObject({ ok: false });
    // Cross-Origin-Resource-Policy: not even an opaque no-cors response.
    expect(results.noCors).toMatchObject({ ok: false });
    // The Collector: the JSON post dies at its preflight; a no-cors text/plain post is opaque (and refused, 415).
    expect(results.postSpans).toMatchObject({ ok: false });
    expect(results.postPlain).toMatchObject({ ok: true, type: 'opaque', status: 0 });

    // Neither span was stored: a span posted afterwards is there, they are not.
    const barrier = newTraceId();
    expect(
      (await postOtlp(own.config.collector.httpTracesUrl, otlpJson([{ traceId: barrier }]))).status,
    ).toBe(200);
    await waitForTrace({
      jaegerUrl: own.config.jaeger.uiUrl,
      traceId: barrier,
      expect: [{ service: 'fault-test' }],
    });
    expect(await fetchTrace(own.config.jaeger.uiUrl, smuggledTraceId)).toBeUndefined();
    expect(await fetchTrace(own.config.jaeger.uiUrl, plainTraceId)).toBeUndefined();
  });

  test('the web app opened as localhost (cross-site to 127.0.0.1) still works: CORS governs, not CORP', async ({
    own,
    page,
    traces,
  }) => {
    const localhostOrigin = own.config.web.allowedOrigins.find((origin) => origin.includes('localhost'));
    expect(localhostOrigin, 'WEB_ORIGINS includes a localhost origin').toBeDefined();
    const demo = new OwnDemoPage(page, own);
    await page.goto(localhostOrigin!);
    const sent = await demo.getItem('5', 'cross-site');
    await expect(demo.status).toHaveText('200');
    await expect(demo.body).toContainText('cross-site');
    const { trace } = await traces.waitFor(sent.traceId, [
      userAction,
      browserFetch,
      apiServerFor('/items/:id'),
    ]);
    expect(trace).toBeConnectedTrace();
  });
});

test.describe('exposure', () => {
  test('every listening socket of the stack is on loopback (or BIND_HOST)', async ({ own }) => {
    const pids = own.pids();
    expect([...pids.keys()].sort()).toEqual(['api', 'collector', 'inventory', 'jaeger', 'web']);
    const listeners = listeningSocketsOf(pids);
    // The parser found the sockets we know of: every port a running process
    // is described to bind (stack/src/processes.ts) is among them.
    const ports = new Set(listeners.map((listener) => listener.port));
    const described = [...pids.keys()].flatMap((name) => Object.entries(own.supervisor.spec(name).ports));
    expect(described.length).toBeGreaterThanOrEqual(12);
    for (const [purpose, port] of described) expect(ports.has(port), purpose).toBe(true);
    const exposed = exposedListeners(listeners, own.config.bindHost);
    expect(
      exposed.map((l) => `${l.process} (pid ${l.pid}) listens on ${l.address}:${l.port}`),
      `BIND_HOST=${own.config.bindHost}`,
    ).toEqual([]);
  });

  test('authorization, cookie and set-cookie headers never reach the stored trace', async ({
    own,
    traces,
  }) => {
    const secrets = {
      authorization: `Bearer secret-${newTraceId()}`,
      cookie: `session=secret-${newTraceId()}`,
      'set-cookie': `id=secret-${newTraceId()}; HttpOnly`,
      'proxy-authorization': `Basic secret-${newTraceId()}`,
    };
    const { traceId, traceparent } = sampledTraceparent();
    const response = await fetch(`${own.config.api.url}/items/9?q=public`, {
      headers: { traceparent, ...secrets },
    });
    expect(response.status).toBe(200);
    const { raw } = await traces.waitFor(traceId, [apiServerFor('/items/:id')]);
    // Control: the trace is the request's (its public query is there).
    expect(findValues(raw, ['public'])).not.toEqual([]);
    const values = Object.values(secrets).map((value) => value.split(/[ =;]/)[1]!);
    expect(findValues(raw, [...values, 'secret-'])).toEqual([]);
  });

  test('the API answers with its security headers, whatever the outcome', async ({ own }) => {
    const api = own.config.api.url;
    const origin = own.config.web.allowedOrigins[0]!;
    const answers = {
      '200': await fetch(`${api}/items/1`, { headers: { origin } }),
      '404': await fetch(`${api}/nope`),
      '400': await fetch(`${api}/items/%`),
      '414': await fetch(`${api}/?${'x'.repeat(3000)}`),
      '500': await fetch(`${api}/boom`),
      preflight: await fetch(`${api}/items/1`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET' },
      }),
    };
    for (const [name, response] of Object.entries(answers)) {
      expect(headerProblems(response.headers, API_SECURITY_HEADERS), name).toEqual([]);
    }
    expect(answers['200'].headers.get('access-control-allow-origin')).toBe(origin);
  });

  test('the web app (production build) answers with a strict CSP and nosniff', async ({ own }) => {
    const web = own.config.web.url;
    const connect = [new URL(own.config.api.url).origin, new URL(own.config.collector.httpTracesUrl).origin];
    const index = await fetch(web);
    const html = await index.text();
    const script = /<script type="module"[^>]* src="([^"]+)"/.exec(html)?.[1];
    expect(script, 'index.html loads a module script').toBeDefined();
    for (const path of ['/', script!, '/runtime-config.js', '/no/such/page']) {
      const response = await fetch(new URL(path, web));
      await response.arrayBuffer();
      expect(
        headerProblems(response.headers, { 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' }),
        path,
      ).toEqual([]);
      expect(cspProblems(response.headers.get('content-security-policy') ?? '', connect), path).toEqual([]);
    }
  });

  test('the page works under that CSP, and the CSP is enforced', async ({
    ownDemo: demo,
    page,
    traces,
    browserErrors,
  }) => {
    // Working: one click, one connected trace, and no console error (the fixture checks).
    const sent = await demo.getItem('5', 'csp');
    await expect(demo.status).toHaveText('200');
    const { trace } = await traces.waitFor(sent.traceId, [
      userAction,
      browserFetch,
      apiServerFor('/items/:id'),
    ]);
    expect(trace).toBeConnectedTrace();

    // Enforced: a connection elsewhere and an injected inline script are refused.
    browserErrors.allow(/violates the (following|document's) Content Security Policy/);
    const violations = await page.evaluate(async () => {
      const seen: string[] = [];
      document.addEventListener('securitypolicyviolation', (event) => seen.push(event.effectiveDirective));
      await fetch('http://127.0.0.1:9/').catch(() => undefined);
      const inline = document.createElement('script');
      inline.textContent = 'window.__injected = true';
      document.body.append(inline);
      // Violation events are dispatched asynchronously: wait for both, up to 2 s.
      const deadline = performance.now() + 2000;
      while (seen.length < 2 && performance.now() < deadline) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      return { seen, injected: (window as unknown as { __injected?: boolean }).__injected === true };
    });
    expect(violations.injected).toBe(false);
    expect(violations.seen).toEqual(expect.arrayContaining(['connect-src', 'script-src-elem']));
  });
});

async function get(url: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(url);
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

/** The traceState of every span in Jaeger's OTLP JSON. */
function findTraceStates(raw: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key === 'traceState' && typeof item === 'string') found.push(item);
        else walk(item);
      }
    }
  };
  walk(raw);
  return found;
}
