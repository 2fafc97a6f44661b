import { describe, expect, it } from 'vitest';
import {
  childUrlRegExp,
  escapeRegExp,
  exactUrlRegExp,
  originRegExp,
  untracedUrls,
} from '../../src/telemetry/tracing-urls';

describe('originRegExp', () => {
  const api = originRegExp('http://127.0.0.1:3000');

  it('is anchored and escapes the origin', () => {
    expect(api.source).toBe('^http:\\/\\/127\\.0\\.0\\.1:3000(?:[/?#]|$)');
  });

  it.each([
    'http://127.0.0.1:3000',
    'http://127.0.0.1:3000/',
    'http://127.0.0.1:3000/items/5?q=somequery',
    'http://127.0.0.1:3000?q=1',
    'http://127.0.0.1:3000#top',
  ])('matches the API origin and what is under it: %s', (url) => {
    expect(api.test(url)).toBe(true);
  });

  it.each([
    ['another port', 'http://127.0.0.1:3001/'],
    ['a port sharing the prefix', 'http://127.0.0.1:30000/'],
    ['a host sharing the prefix', 'http://127.0.0.1:3000.evil.com/'],
    ['a userinfo trick', 'http://127.0.0.1:3000@evil.com/'],
    ['another host', 'http://localhost:3000/'],
    ['another scheme', 'https://127.0.0.1:3000/'],
    ['dots as wildcards', 'http://127a0b0c1:3000/'],
    ['the origin further in the URL', 'http://evil.com/?next=http://127.0.0.1:3000/'],
    ['the collector', 'http://127.0.0.1:4318/v1/traces'],
  ])('rejects %s: %s', (_label, url) => {
    expect(api.test(url)).toBe(false);
  });

  it('ignores the path and trailing slash of the configured URL', () => {
    const withPath = originRegExp('http://127.0.0.1:3000/api/');
    expect(withPath.test('http://127.0.0.1:3000/items/5')).toBe(true);
    expect(withPath.test('http://127.0.0.1:30000/')).toBe(false);
  });

  it('normalises like the URLs it is tested against (default port, host case)', () => {
    const re = originRegExp('HTTP://API.Example.com:80/');
    expect(re.test(new URL('http://api.example.com/items/1').href)).toBe(true);
    expect(re.test('http://api.example.com:8080/')).toBe(false);
  });

  it('refuses a URL without an origin', () => {
    expect(() => originRegExp('data:text/plain,hi')).toThrow(/no origin/);
    expect(() => originRegExp('not a url')).toThrow();
  });
});

describe('exactUrlRegExp', () => {
  const otlp = exactUrlRegExp('http://127.0.0.1:4318/v1/traces');

  it('matches the URL, with or without a query', () => {
    expect(otlp.test('http://127.0.0.1:4318/v1/traces')).toBe(true);
    expect(otlp.test('http://127.0.0.1:4318/v1/traces?x=1')).toBe(true);
  });

  it('rejects other URLs', () => {
    expect(otlp.test('http://127.0.0.1:4318/v1/tracesX')).toBe(false);
    expect(otlp.test('http://127.0.0.1:4318/v1/traces/extra')).toBe(false);
    expect(otlp.test('http://127.0.0.1:43180/v1/traces')).toBe(false);
    expect(otlp.test('http://127.0.0.1:3000/items/5')).toBe(false);
  });
});

describe('escapeRegExp', () => {
  it('escapes every special character', () => {
    const special = '.*+?^${}()|[]\\/';
    expect(new RegExp(`^${escapeRegExp(special)}$`).test(special)).toBe(true);
  });
});

describe('childUrlRegExp', () => {
  const traces = childUrlRegExp('http://127.0.0.1:3000/traces');

  it.each([
    'http://127.0.0.1:3000/traces/4bf92f3577b34da6a3ce929d0e0e4736',
    'http://127.0.0.1:3000/traces/abc?wait=1',
    'http://127.0.0.1:3000/traces/abc#x',
  ])('matches one path segment under the URL: %s', (url) => {
    expect(traces.test(url)).toBe(true);
  });

  it.each([
    ['the URL itself', 'http://127.0.0.1:3000/traces'],
    ['an empty segment', 'http://127.0.0.1:3000/traces/'],
    ['an empty segment and a query', 'http://127.0.0.1:3000/traces/?x=1'],
    ['two segments', 'http://127.0.0.1:3000/traces/abc/def'],
    ['a path sharing the prefix', 'http://127.0.0.1:3000/tracesX/abc'],
    ['the path further in', 'http://127.0.0.1:3000/api/traces/abc'],
    ['another port', 'http://127.0.0.1:30000/traces/abc'],
    ['another host', 'http://localhost:3000/traces/abc'],
    ['the URL in a query', 'http://evil.com/?u=http://127.0.0.1:3000/traces/abc'],
  ])('rejects %s: %s', (_label, url) => {
    expect(traces.test(url)).toBe(false);
  });

  it('ignores a trailing slash of the parent and normalises it', () => {
    const re = childUrlRegExp('HTTP://Example.com:80/traces/');
    expect(re.test('http://example.com/traces/abc')).toBe(true);
    expect(re.test('http://example.com/traces//abc')).toBe(false);
  });

  it('refuses a parent with a query or fragment', () => {
    expect(() => childUrlRegExp('http://127.0.0.1:3000/traces?x=1')).toThrow(/query or fragment/);
    expect(() => childUrlRegExp('http://127.0.0.1:3000/traces#x')).toThrow(/query or fragment/);
  });
});

describe('untracedUrls', () => {
  const untraced = (config: { apiUrl: string; otlpTracesUrl: string }) => {
    const list = untracedUrls(config);
    return (url: string) => list.some((re) => re.test(url));
  };
  const isUntraced = untraced({
    apiUrl: 'http://127.0.0.1:3000',
    otlpTracesUrl: 'http://127.0.0.1:4318/v1/traces',
  });

  it.each([
    'http://127.0.0.1:4318/v1/traces',
    'http://127.0.0.1:3000/status',
    'http://127.0.0.1:3000/status?fresh=1',
    'http://127.0.0.1:3000/traces/4bf92f3577b34da6a3ce929d0e0e4736',
    'http://127.0.0.1:3000/traces',
    'http://127.0.0.1:3000/traces?service=web&limit=20',
  ])('matches the export and the API helper routes: %s', (url) => {
    expect(isUntraced(url)).toBe(true);
  });

  it.each([
    // The routes user actions call must keep their CLIENT span and traceparent.
    'http://127.0.0.1:3000/',
    'http://127.0.0.1:3000',
    'http://127.0.0.1:3000/items/5?q=status',
    'http://127.0.0.1:3000/boom',
    // Near misses.
    'http://127.0.0.1:3000/statuses',
    'http://127.0.0.1:3000/status/1',
    'http://127.0.0.1:3000/tracesX',
    'http://127.0.0.1:3000/traces/a/b',
    'http://127.0.0.1:3000/items/status',
    'http://127.0.0.1:30000/status',
    'http://localhost:3000/status',
    'http://127.0.0.1:4318/status',
    'http://127.0.0.1:3000/v1/traces',
  ])('leaves other URLs traced: %s', (url) => {
    expect(isUntraced(url)).toBe(false);
  });

  it('keeps the path prefix of an API behind one', () => {
    const behindProxy = untraced({
      apiUrl: 'https://demo.example.com/api',
      otlpTracesUrl: 'https://demo.example.com/otlp/v1/traces',
    });
    expect(behindProxy('https://demo.example.com/api/status')).toBe(true);
    expect(behindProxy('https://demo.example.com/api/traces/abc')).toBe(true);
    expect(behindProxy('https://demo.example.com/api/traces?limit=5')).toBe(true);
    expect(behindProxy('https://demo.example.com/otlp/v1/traces')).toBe(true);
    expect(behindProxy('https://demo.example.com/status')).toBe(false);
    expect(behindProxy('https://demo.example.com/traces/abc')).toBe(false);
    expect(behindProxy('https://demo.example.com/api/items/5')).toBe(false);
  });
});
