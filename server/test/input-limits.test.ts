import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES, MAX_URL_LENGTH } from '../src/plugins/input-limits.ts';
import { SECURITY_HEADERS } from '../src/plugins/security-headers.ts';
import { testApp, WEB_ORIGIN } from './helpers.ts';

/** `/items/5?q=x&pad=…` padded to exactly `length` characters (extra query parameters are ignored). */
function itemUrl(length: number): string {
  const base = '/items/5?q=x&pad=';
  return base + 'p'.repeat(length - base.length);
}

/** Sends raw bytes to a listening app and resolves with everything it answered until it closed. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // Node may reset the connection right after answering an oversized request.
      if (error.code === 'ECONNRESET' && answer) resolve(answer);
      else reject(error);
    });
    socket.on('close', () => resolve(answer));
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.end(request, 'latin1');
  });
}

function statusOf(rawResponse: string): number {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(rawResponse);
  if (!match) throw new Error(`not an HTTP response: ${JSON.stringify(rawResponse.slice(0, 200))}`);
  return Number(match[1]);
}

function bodyOf(rawResponse: string): unknown {
  return JSON.parse(rawResponse.slice(rawResponse.indexOf('\r\n\r\n') + 4));
}

describe('URL length', () => {
  it(`accepts a URL of exactly ${MAX_URL_LENGTH} characters`, async () => {
    const app = await testApp();
    const response = await app.inject({ method: 'GET', url: itemUrl(MAX_URL_LENGTH) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ item_id: 5, q: 'x' });
  });

  it(`rejects a URL of ${MAX_URL_LENGTH + 1} characters with a 414 and a JSON body`, async () => {
    const app = await testApp();
    const response = await app.inject({ method: 'GET', url: itemUrl(MAX_URL_LENGTH + 1) });
    expect(response.statusCode).toBe(414);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({
      statusCode: 414,
      code: 'URL_TOO_LONG',
      error: 'URI Too Long',
      message: `The URL is ${MAX_URL_LENGTH + 1} characters long; at most ${MAX_URL_LENGTH} are accepted.`,
    });
  });

  it('rejects a huge query string on an unknown route with a 414 too (before routing)', async () => {
    const app = await testApp();
    const response = await app.inject({ method: 'GET', url: `/nope?${'a=1&'.repeat(3000)}` });
    expect(response.statusCode).toBe(414);
  });

  it('lets the web app read the 414 (CORS headers are on it)', async () => {
    const app = await testApp();
    const response = await app.inject({
      method: 'GET',
      url: itemUrl(MAX_URL_LENGTH + 1),
      headers: { origin: WEB_ORIGIN },
    });
    expect(response.statusCode).toBe(414);
    expect(response.headers['access-control-allow-origin']).toBe(WEB_ORIGIN);
  });
});

describe('header size (Node maxHeaderSize, on a real listener)', () => {
  it(`answers 431 with a JSON body to headers over ${MAX_HEADER_BYTES} bytes, and keeps serving`, async () => {
    const app = await testApp();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };

    const huge = `GET /items/5 HTTP/1.1\r\nHost: 127.0.0.1\r\nx-filler: ${'a'.repeat(MAX_HEADER_BYTES)}\r\n\r\n`;
    const rejected = await rawExchange(port, huge);
    expect(statusOf(rejected)).toBe(431);
    expect(rejected).toMatch(/\r\nContent-Type: application\/json\r\n/i);
    expect(bodyOf(rejected)).toMatchObject({ statusCode: 431, error: 'Request Header Fields Too Large' });

    // Many medium headers that add up to too much: the same.
    const many = Array.from({ length: 40 }, (_, i) => `x-h${i}: ${'b'.repeat(500)}\r\n`).join('');
    expect(statusOf(await rawExchange(port, `GET / HTTP/1.1\r\nHost: x\r\n${many}\r\n`))).toBe(431);

    // Just under the limit is served; and the server is still there. (GET /,
    // which answers at once: rawExchange half-closes the socket after sending,
    // and Node drops a half-closed request whose handler is still awaiting.)
    const fits = `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nx-filler: ${'a'.repeat(MAX_HEADER_BYTES - 200)}\r\n\r\n`;
    expect(statusOf(await rawExchange(port, fits))).toBe(200);
    const after = await fetch(`http://127.0.0.1:${port}/items/6`);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ item_id: 6, q: null });
  });

  it('answers 400 (JSON) to bytes that are not HTTP at all, and keeps serving', async () => {
    const app = await testApp();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const garbage = await rawExchange(port, '\u0000\u0001\u0002 not http\r\n\r\n');
    expect(statusOf(garbage)).toBe(400);
    expect(bodyOf(garbage)).toMatchObject({ statusCode: 400 });
    const smuggled = await rawExchange(
      port,
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    );
    expect(statusOf(smuggled)).toBe(400);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
  });
});

/**
 * Hostile or odd requests a client can send, with the status each must get.
 * None is a 5xx; every error answer is JSON with the same statusCode, and the
 * security headers are on every answer.
 */
const hostile: {
  name: string;
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
}[] = [
  { name: 'a lone percent sign in the path', url: '/items/%', status: 400 },
  { name: 'a truncated UTF-8 escape in the path', url: '/items/%E0%A4%A', status: 400 },
  { name: 'q given twice', url: '/items/5?q=a&q=b', status: 400 },
  { name: 'an id beyond 15 digits', url: '/items/9007199254740993', status: 400 },
  { name: 'an id in exponent form', url: '/items/1e999', status: 400 },
  { name: 'a matrix parameter', url: '/items/5;q=x', status: 400 },
  { name: 'an id of 101 characters (over maxParamLength)', url: `/items/${'1'.repeat(101)}`, status: 414 },
  { name: 'a q of 257 characters', url: `/items/5?q=${'q'.repeat(257)}`, status: 400 },
  { name: 'a NUL byte in the path', url: '/%00', status: 404 },
  { name: 'an encoded path traversal', url: '/..%2f..%2fetc%2fpasswd', status: 404 },
  { name: 'a double slash', url: '//items/5', status: 404 },
  {
    name: 'POST with broken JSON',
    method: 'POST',
    url: '/items/5',
    headers: { 'content-type': 'application/json' },
    body: '{',
    status: 400,
  },
  { name: 'PUT to the root', method: 'PUT', url: '/', body: 'x', status: 404 },
  { name: 'DELETE an item', method: 'DELETE', url: '/items/5', status: 404 },
  {
    name: 'PATCH with an unknown content type',
    method: 'PATCH',
    url: '/',
    headers: { 'content-type': 'x/y' },
    body: '1',
    status: 404,
  },
  // Accepted, harmlessly: the value is data, returned JSON-escaped.
  { name: 'an invalid escape in q (kept literally)', url: '/items/5?q=%ZZ', status: 200 },
  { name: 'bracketed query keys (ignored)', url: '/items/5?q[a]=1&q[]=2', status: 200 },
  {
    name: 'prototype keys in the query (ignored)',
    url: '/items/5?__proto__=x&constructor=y&q=ok',
    status: 200,
  },
  { name: 'a NUL byte in q', url: '/items/5?q=%00', status: 200 },
  {
    name: 'GET with a body and a JSON content type (body ignored)',
    url: '/items/5',
    headers: { 'content-type': 'application/json' },
    body: '{',
    status: 200,
  },
  {
    name: 'an Accept the API cannot produce',
    url: '/items/5',
    headers: { accept: 'text/html' },
    status: 200,
  },
  {
    name: 'a preflight for a method that is not allowed',
    method: 'OPTIONS',
    url: '/items/5',
    headers: { origin: WEB_ORIGIN, 'access-control-request-method': 'DELETE' },
    status: 204,
  },
  { name: 'an Origin that is not an origin', url: '/', headers: { origin: 'null' }, status: 200 },
  {
    name: 'hostile propagation headers (no SDK in unit tests: ignored)',
    url: '/propagation',
    headers: {
      traceparent: 'x'.repeat(600),
      tracestate: ',,,=,=x,' + 'k=v,'.repeat(100),
      baggage: '%E0%A4%A=%%%,' + 'a=b,'.repeat(2000),
    },
    status: 200,
  },
];

describe('hostile requests never get a 5xx', () => {
  it.each(hostile)('$name: $status', async ({ method = 'GET', url, headers, body, status }) => {
    const app = await testApp();
    const response = await app.inject({
      method: method as 'GET',
      url,
      ...(headers ? { headers } : {}),
      ...(body !== undefined ? { body } : {}),
    });
    expect(response.statusCode).toBe(status);
    if (status >= 400) {
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toMatchObject({ statusCode: status, message: expect.any(String) });
      // The refusal names the problem without echoing a (possibly huge) input back.
      expect(response.body.length).toBeLessThan(300);
    }
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(response.headers[name]).toBe(value);
  });

  it('the GET /boom 500 is the only 5xx, and it is on purpose', async () => {
    const app = await testApp();
    expect((await app.inject({ method: 'GET', url: '/boom' })).statusCode).toBe(500);
    expect((await app.inject({ method: 'GET', url: '/boom?x=%ZZ' })).statusCode).toBe(500);
    expect((await app.inject({ method: 'POST', url: '/boom' })).statusCode).toBe(404);
  });
});
