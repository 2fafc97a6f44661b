import { describe, expect, it } from 'vitest';
import {
  attributeEntries,
  formatAttributeValue,
  formatDuration,
  formatKind,
  formatOffset,
  formatStatus,
  NOT_A_VALUE,
} from '../../src/waterfall/format';

describe('formatDuration', () => {
  it('picks a unit and precision a person reads at a glance', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(0.42)).toBe('420 µs');
    expect(formatDuration(0.0001)).toBe('1 µs');
    expect(formatDuration(0.9996)).toBe('1 ms');
    expect(formatDuration(1.16)).toBe('1.16 ms');
    expect(formatDuration(4.25)).toBe('4.25 ms');
    expect(formatDuration(14.25)).toBe('14.3 ms');
    expect(formatDuration(20)).toBe('20 ms');
    expect(formatDuration(53.3)).toBe('53.3 ms');
    expect(formatDuration(812.4)).toBe('812 ms');
    expect(formatDuration(999.7)).toBe('1 s');
    expect(formatDuration(1250)).toBe('1.25 s');
    expect(formatDuration(12_500)).toBe('12.5 s');
    expect(formatDuration(150_000)).toBe('2.5 min');
  });

  it('refuses what is not a duration', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '5', null, undefined, {}]) {
      expect(formatDuration(bad), String(bad)).toBe(NOT_A_VALUE);
    }
  });
});

describe('formatOffset', () => {
  it('signs offsets, with a true minus', () => {
    expect(formatOffset(0)).toBe('+0 ms');
    expect(formatOffset(2)).toBe('+2 ms');
    expect(formatOffset(-1.5)).toBe('−1.5 ms');
  });

  it('refuses non-finite offsets', () => {
    expect(formatOffset(Number.NaN)).toBe(NOT_A_VALUE);
    expect(formatOffset(Number.NEGATIVE_INFINITY)).toBe(NOT_A_VALUE);
    expect(formatOffset('1')).toBe(NOT_A_VALUE);
  });
});

describe('formatAttributeValue', () => {
  it('shows scalars as written', () => {
    expect(formatAttributeValue('sqlite')).toBe('sqlite');
    expect(formatAttributeValue('')).toBe('');
    expect(formatAttributeValue(200)).toBe('200');
    expect(formatAttributeValue(1.5)).toBe('1.5');
    expect(formatAttributeValue(false)).toBe('false');
  });

  it('quotes strings inside arrays, so ["a, b"] and ["a", "b"] differ', () => {
    expect(formatAttributeValue(['a, b'])).toBe('["a, b"]');
    expect(formatAttributeValue(['a', 'b'])).toBe('["a", "b"]');
    expect(formatAttributeValue([1, 2])).toBe('[1, 2]');
    expect(formatAttributeValue([true])).toBe('[true]');
    expect(formatAttributeValue([])).toBe('[]');
  });

  it('shows values outside the attribute types as JSON, or nothing', () => {
    expect(formatAttributeValue({ a: 1 })).toBe('{"a":1}');
    expect(formatAttributeValue(null)).toBe(NOT_A_VALUE);
    expect(formatAttributeValue(undefined)).toBe(NOT_A_VALUE);
    expect(formatAttributeValue(10n)).toBe(NOT_A_VALUE);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(formatAttributeValue(cyclic)).toBe(NOT_A_VALUE);
  });
});

describe('attributeEntries', () => {
  it('sorts by key and formats values', () => {
    expect(
      attributeEntries({ 'url.path': '/items/5', 'http.response.status_code': 200, 'a.list': ['x'] }),
    ).toEqual([
      ['a.list', '["x"]'],
      ['http.response.status_code', '200'],
      ['url.path', '/items/5'],
    ]);
  });

  it('gives nothing for what is not an attribute object', () => {
    expect(attributeEntries(null)).toEqual([]);
    expect(attributeEntries(['a'])).toEqual([]);
    expect(attributeEntries('a=b')).toEqual([]);
  });
});

describe('formatKind and formatStatus', () => {
  it('write kinds as Jaeger does', () => {
    expect(formatKind('server')).toBe('SERVER');
    expect(formatKind('internal')).toBe('INTERNAL');
    expect(formatKind('weird')).toBe('WEIRD');
  });

  it('write the status with its message', () => {
    expect(formatStatus({ code: 'error', message: 'boom' })).toBe('Error: boom');
    expect(formatStatus({ code: 'error' })).toBe('Error');
    expect(formatStatus({ code: 'ok' })).toBe('OK');
    expect(formatStatus({ code: 'unset', message: '' })).toBe('Unset');
  });
});
