import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ignoreIncomingRequest, untracedPathFilter } from '../src/untraced-requests.ts';

describe('untracedPathFilter', () => {
  it('makes every service ignore the health path, with or without a query', () => {
    const untraced = untracedPathFilter();
    expect(untraced('/healthz')).toBe(true);
    expect(untraced('/healthz?x=1')).toBe(true);
  });

  it.each(['/', '/healthzX', '/healthz/', '/healthz/x', '/x/healthz', '/Healthz', '/stock/1'])(
    'traces %s',
    (path) => {
      expect(untracedPathFilter()(path)).toBe(false);
    },
  );

  it("adds the service's own untraced paths", () => {
    const untraced = untracedPathFilter((path) => path === '/mine');
    expect(untraced('/mine')).toBe(true);
    expect(untraced('/healthz')).toBe(true);
    expect(untraced('/other')).toBe(false);
  });
});

describe('ignoreIncomingRequest', () => {
  const request = (method: string, url?: string) => ({ method, url }) as IncomingMessage;
  const ignore = ignoreIncomingRequest(untracedPathFilter());

  it('ignores CORS preflights on any path, and untraced paths', () => {
    expect(ignore(request('OPTIONS', '/items/1'))).toBe(true);
    expect(ignore(request('GET', '/healthz'))).toBe(true);
    expect(ignore(request('HEAD', '/healthz?x=1'))).toBe(true);
  });

  it('traces other requests, one without a URL too', () => {
    expect(ignore(request('GET', '/items/1'))).toBe(false);
    expect(ignore(request('POST', '/healthzX'))).toBe(false);
    expect(ignore(request('GET'))).toBe(false);
  });
});
