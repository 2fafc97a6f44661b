import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from '@playwright/test';
import type { Page, Request } from '@playwright/test';
import { chromiumLaunchOptions } from '@tracing-demo/stack/chromium';
import { describe, expect, it } from 'vitest';
import { captureAllTraceContexts, captureTraceContext, urlMatches } from '../src/capture.ts';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const tp = (span: string, flags = '01') => `00-${TRACE}-${span}-${flags}`;

/** Just enough of a Playwright Request for capture.ts. */
function fakeRequest(
  url: string,
  opts: { traceparent?: string | null; delayMs?: number; type?: string; method?: string },
) {
  return {
    url: () => url,
    method: () => opts.method ?? 'GET',
    resourceType: () => opts.type ?? 'fetch',
    headerValue: async (name: string) => {
      await new Promise((resolve) => setTimeout(resolve, opts.delayMs ?? 0));
      return name === 'traceparent' ? (opts.traceparent ?? null) : null;
    },
  } as unknown as Request;
}

/** Just enough of a Playwright Page: an EventEmitter that emits 'request'. */
function fakePage(): { page: Page; emit: (r: Request) => void; listeners: () => number } {
  const emitter = new EventEmitter();
  return {
    page: emitter as unknown as Page,
    emit: (r) => emitter.emit('request', r),
    listeners: () => emitter.listenerCount('request'),
  };
}

const later = (ms: number, fn: () => void) =>
  new Promise<void>((resolve) => setTimeout(() => (fn(), resolve()), ms));

describe('captureTraceContext (fake page)', () => {
  it('returns the first matching request, ignoring other URLs and resource types', async () => {
    const { page, emit, listeners } = fakePage();
    const ctx = await captureTraceContext(
      page,
      async () => {
        emit(
          fakeRequest('http://127.0.0.1:5173/', { type: 'document', traceparent: tp('1111111111111111') }),
        );
        emit(
          fakeRequest('http://127.0.0.1:4318/v1/traces', {
            type: 'fetch',
            traceparent: null,
            method: 'POST',
          }),
        );
        emit(
          fakeRequest('http://127.0.0.1:3001/api/items/42', {
            traceparent: tp('00f067aa0ba902b7'),
            delayMs: 30,
          }),
        );
        emit(fakeRequest('http://127.0.0.1:3001/api/items/43', { traceparent: tp('2222222222222222') }));
      },
      { url: '/api/items/' },
    );
    expect(ctx).toMatchObject({
      traceId: TRACE,
      parentSpanId: '00f067aa0ba902b7',
      sampled: true,
      flags: 1,
      traceparent: tp('00f067aa0ba902b7'),
      url: 'http://127.0.0.1:3001/api/items/42',
      method: 'GET',
    });
    expect(listeners()).toBe(0);
  });

  it('captures a request announced after the action resolved', async () => {
    const { page, emit } = fakePage();
    const ctx = await captureTraceContext(
      page,
      async () => {
        // e.g. click() resolved before Playwright reported the fetch it caused
        void later(40, () =>
          emit(fakeRequest('http://api/items/1', { traceparent: tp('3333333333333333', '00') })),
        );
      },
      { url: /\/items\/\d+$/ },
    );
    expect(ctx).toMatchObject({ parentSpanId: '3333333333333333', sampled: false });
  });

  it('explains a missing traceparent (the CORS / propagateTraceHeaderCorsUrls mistake)', async () => {
    const { page, emit } = fakePage();
    const run = captureTraceContext(
      page,
      async () => emit(fakeRequest('http://127.0.0.1:3001/api/items/42', { traceparent: null })),
      { url: '/api/' },
    );
    await expect(run).rejects.toThrow(
      'GET http://127.0.0.1:3001/api/items/42 was sent without a traceparent header',
    );
    await expect(run).rejects.toThrow('propagateTraceHeaderCorsUrls');
  });

  it('rejects an invalid traceparent', async () => {
    const { page, emit } = fakePage();
    await expect(
      captureTraceContext(
        page,
        async () => emit(fakeRequest('http://api/x', { traceparent: tp('0'.repeat(16)) })),
        {
          url: 'api',
        },
      ),
    ).rejects.toThrow('GET http://api/x carried an invalid traceparent: invalid traceparent');
  });

  it('fails clearly when no matching request was made', async () => {
    const { page, emit, listeners } = fakePage();
    await expect(
      captureTraceContext(page, async () => emit(fakeRequest('http://web/app.js', { type: 'script' })), {
        url: '/api/',
        timeoutMs: 50,
      }),
    ).rejects.toThrow(
      'Expected at least 1 fetch/xhr request(s) containing "/api/" during the action, saw 0 (waited 50 ms after the action).\n' +
        'Other requests the page made:\n  GET http://web/app.js (script)',
    );
    expect(listeners()).toBe(0);
  });

  it('stops listening when the action throws', async () => {
    const { page, listeners } = fakePage();
    await expect(
      captureTraceContext(
        page,
        async () => {
          throw new Error('click failed');
        },
        { url: '/api/' },
      ),
    ).rejects.toThrow('click failed');
    expect(listeners()).toBe(0);
  });

  it('does not judge later matching requests', async () => {
    const { page, emit } = fakePage();
    const ctx = await captureTraceContext(
      page,
      async () => {
        emit(fakeRequest('http://api/items/1', { traceparent: tp('4444444444444444') }));
        emit(fakeRequest('http://api/items/2', { traceparent: null }));
      },
      { url: (u) => u.pathname.startsWith('/items/') },
    );
    expect(ctx.parentSpanId).toBe('4444444444444444');
  });
});

describe('captureAllTraceContexts (fake page)', () => {
  it('returns every matching request in order, waiting for slow header reads', async () => {
    const { page, emit } = fakePage();
    const all = await captureAllTraceContexts(
      page,
      async () => {
        emit(fakeRequest('http://api/items/1', { traceparent: tp('5555555555555555'), delayMs: 60 }));
        emit(
          fakeRequest('http://api/items/2', { traceparent: tp('6666666666666666'), delayMs: 0, type: 'xhr' }),
        );
        emit(
          fakeRequest('http://api/items/3', {
            traceparent: tp('7777777777777777'),
            delayMs: 20,
            method: 'POST',
          }),
        );
      },
      { url: '/items/' },
    );
    expect(all.map((c) => [c.method, c.parentSpanId])).toEqual([
      ['GET', '5555555555555555'],
      ['GET', '6666666666666666'],
      ['POST', '7777777777777777'],
    ]);
  });

  it('waits for atLeast requests, and fails if one lacks the header', async () => {
    const { page, emit } = fakePage();
    const two = await captureAllTraceContexts(
      page,
      async () => {
        emit(fakeRequest('http://api/items/1', { traceparent: tp('5555555555555555') }));
        void later(30, () =>
          emit(fakeRequest('http://api/items/2', { traceparent: tp('6666666666666666') })),
        );
      },
      { url: '/items/', atLeast: 2 },
    );
    expect(two).toHaveLength(2);
    const none = await captureAllTraceContexts(page, async () => {}, { url: '/items/', atLeast: 0 });
    expect(none).toEqual([]);
    await expect(
      captureAllTraceContexts(
        page,
        async () => {
          emit(fakeRequest('http://api/items/1', { traceparent: tp('5555555555555555') }));
          emit(fakeRequest('http://api/items/2', { traceparent: null }));
        },
        { url: '/items/' },
      ),
    ).rejects.toThrow('GET http://api/items/2 was sent without a traceparent header');
  });
});

describe('urlMatches', () => {
  it('supports substring, RegExp and predicate', () => {
    expect(urlMatches('http://h/api/items/1', '/api/items/')).toBe(true);
    expect(urlMatches('http://h/api/users/1', '/api/items/')).toBe(false);
    expect(urlMatches('http://h/api/items/1', /\/items\/\d+$/g)).toBe(true);
    expect(urlMatches('http://h/api/items/1', /\/items\/\d+$/g)).toBe(true);
    expect(urlMatches('http://h:3001/x', (u) => u.port === '3001')).toBe(true);
    expect(urlMatches('not a url', () => true)).toBe(false);
  });
});

// Never skipped: `npm test` checks for Chromium first and says how to install it.
describe('captureTraceContext (real Chromium)', () => {
  it('reads the traceparent the page itself sent, for a fetch started after the click resolved', async () => {
    // The page plays the part of the OTel fetch instrumentation: it sets the header itself.
    const html = `<!doctype html><button id="go">go</button><button id="bare">bare</button><script>
      document.getElementById('go').onclick = () => setTimeout(() =>
        fetch('/api/items/42', { headers: { traceparent: '${tp('00f067aa0ba902b7')}' } }), 30);
      document.getElementById('bare').onclick = () => fetch('/api/items/43');
    </script>`;
    const server = createServer((req, res) => {
      if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":42}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const browser = await chromium.launch(chromiumLaunchOptions());
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      const ctx = await captureTraceContext(page, () => page.click('#go'), { url: '/api/items/' });
      expect(ctx).toMatchObject({
        traceId: TRACE,
        parentSpanId: '00f067aa0ba902b7',
        url: `http://127.0.0.1:${port}/api/items/42`,
      });
      await expect(
        captureTraceContext(page, () => page.click('#bare'), { url: '/api/items/' }),
      ).rejects.toThrow('was sent without a traceparent header');
    } finally {
      await browser.close();
      server.closeAllConnections();
      server.close();
    }
  }, 30_000);
});
