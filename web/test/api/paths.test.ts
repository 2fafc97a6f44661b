import { describe, expect, it } from 'vitest';
import { apiUrl, itemPath, STATUS_PATH, traceListPath, tracePath } from '../../src/api/paths';

describe('itemPath', () => {
  it('builds /items/{id}?q={q}', () => {
    expect(itemPath('5', 'somequery')).toBe('/items/5?q=somequery');
  });

  it('leaves q out when empty', () => {
    expect(itemPath('5', '')).toBe('/items/5');
  });

  it('sends the id as typed, so the API can reject it', () => {
    expect(itemPath('abc', '')).toBe('/items/abc');
    expect(itemPath('1.5', '')).toBe('/items/1.5');
  });

  it('encodes the id as one path segment and q as one query value', () => {
    expect(itemPath('a/b?c', 'x&y=z #1')).toBe('/items/a%2Fb%3Fc?q=x%26y%3Dz%20%231');
    expect(new URL(itemPath('5', 'é & ü'), 'http://h').searchParams.get('q')).toBe('é & ü');
  });
});

describe('apiUrl', () => {
  it('resolves a path against the API origin', () => {
    expect(apiUrl('http://127.0.0.1:3000', '/items/5?q=a').href).toBe('http://127.0.0.1:3000/items/5?q=a');
    expect(apiUrl('http://127.0.0.1:3000/', '/').href).toBe('http://127.0.0.1:3000/');
  });

  it('keeps a path prefix of the base URL', () => {
    expect(apiUrl('http://example.com/api', '/items/5').href).toBe('http://example.com/api/items/5');
  });
});

describe('helper paths', () => {
  it('builds the untraced trace and status routes', () => {
    expect(tracePath('4bf92f3577b34da6a3ce929d0e0e4736', 10_000)).toBe(
      '/traces/4bf92f3577b34da6a3ce929d0e0e4736?wait_ms=10000',
    );
    expect(tracePath('abc', -5)).toBe('/traces/abc?wait_ms=0');
    expect(tracePath('abc', 100, { parentSpanId: '00f067aa0ba902b7' })).toBe(
      '/traces/abc?wait_ms=100&parent_span_id=00f067aa0ba902b7',
    );
    expect(tracePath('abc', 100, { knownSpanIds: ['00f067aa0ba902b7', 'b7ad6b7169203331'] })).toBe(
      '/traces/abc?wait_ms=100&span_ids=00f067aa0ba902b7,b7ad6b7169203331',
    );
    expect(tracePath('abc', 100, { knownSpanIds: [] })).toBe('/traces/abc?wait_ms=100');
    expect(tracePath('a/b?c', 1.6)).toBe('/traces/a%2Fb%3Fc?wait_ms=2');
    expect(STATUS_PATH).toBe('/status');
    expect(apiUrl('http://127.0.0.1:3000', tracePath('ab', 1)).href).toBe(
      'http://127.0.0.1:3000/traces/ab?wait_ms=1',
    );
  });
});

describe('traceListPath', () => {
  it('asks for the newest traces of every service, or of one', () => {
    expect(traceListPath({ limit: 20, lookbackMinutes: 60 })).toBe('/traces?limit=20&lookback_minutes=60');
    expect(traceListPath({ service: '', limit: 20, lookbackMinutes: 60 })).toBe(
      '/traces?limit=20&lookback_minutes=60',
    );
    expect(traceListPath({ service: 'e2e', limit: 5, lookbackMinutes: 15 })).toBe(
      '/traces?service=e2e&limit=5&lookback_minutes=15',
    );
  });

  it('encodes the service as one query value and rounds the numbers to whole ones of at least 1', () => {
    const path = traceListPath({ service: 'a&b=c #1', limit: 0, lookbackMinutes: 2.4 });
    const query = new URL(path, 'http://h').searchParams;
    expect([query.get('service'), query.get('limit'), query.get('lookback_minutes')]).toEqual([
      'a&b=c #1',
      '1',
      '2',
    ]);
  });
});
