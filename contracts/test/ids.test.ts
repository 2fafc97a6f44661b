import { describe, expect, it } from 'vitest';
import { ITEM_ID_PATTERN, PATTERN_MEANINGS, TRACE_ID_PATTERN, isTraceId } from '../src/ids.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('isTraceId', () => {
  it('accepts 32 lower-case hex digits, not all zero', () => {
    expect(isTraceId(TRACE_ID)).toBe(true);
    for (const bad of [
      TRACE_ID.toUpperCase(),
      TRACE_ID.slice(1),
      `${TRACE_ID}0`,
      '0'.repeat(32),
      'g'.repeat(32),
      5,
    ]) {
      expect(isTraceId(bad), String(bad)).toBe(false);
    }
  });
});

describe('the id patterns', () => {
  it('take an item id as digits only, exact as a JS number', () => {
    const itemId = new RegExp(ITEM_ID_PATTERN);
    for (const good of ['5', '-3', '0', '9'.repeat(15)]) expect(itemId.test(good), good).toBe(true);
    for (const bad of ['', ' ', '0x10', '1e3', '5.5', '9'.repeat(16), '+5'])
      expect(itemId.test(bad), bad).toBe(false);
  });

  it('each say what they mean', () => {
    expect(PATTERN_MEANINGS[TRACE_ID_PATTERN]).toBe('must be 32 lowercase hex digits, not all zero');
    expect(PATTERN_MEANINGS[ITEM_ID_PATTERN]).toBe('must be integer');
  });
});
