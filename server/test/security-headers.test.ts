import { describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../src/plugins/security-headers.ts';
import { testApp, WEB_ORIGIN } from './helpers.ts';

describe('security headers', () => {
  it('are the ones a JSON API called cross-origin needs', () => {
    expect(SECURITY_HEADERS).toEqual({
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'cross-origin-resource-policy': 'same-origin',
    });
  });

  it.each([
    { name: '200', method: 'GET', url: '/items/5?q=x', status: 200 },
    { name: '400 (validation)', method: 'GET', url: '/items/abc', status: 400 },
    { name: '404', method: 'GET', url: '/nope', status: 404 },
    { name: '414', method: 'GET', url: `/?${'x'.repeat(3000)}`, status: 414 },
    { name: '500', method: 'GET', url: '/boom', status: 500 },
    { name: 'HEAD', method: 'HEAD', url: '/', status: 200 },
  ] as const)('are on every answer: $name', async ({ method, url, status }) => {
    const app = await testApp();
    const response = await app.inject({ method, url, headers: { origin: WEB_ORIGIN } });
    expect(response.statusCode).toBe(status);
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      expect(response.headers[name], name).toBe(value);
  });

  it('are on CORS preflights too, which still grant the web origin', async () => {
    const app = await testApp();
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/items/5',
      headers: { origin: WEB_ORIGIN, 'access-control-request-method': 'GET' },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(WEB_ORIGIN);
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      expect(response.headers[name], name).toBe(value);
  });
});
