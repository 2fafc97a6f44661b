import { describe, expect, it } from 'vitest';
import { escapeRegExp, exactUrlRegExp, originRegExp } from '../src/tracing-urls';

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
