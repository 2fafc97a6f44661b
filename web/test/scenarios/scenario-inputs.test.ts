import { describe, expect, it } from 'vitest';
import { MAX_BURST, MAX_DELAY_MS, parseBurstCount, parseDelayMs } from '../../src/scenarios/scenario-inputs';

describe('parseDelayMs', () => {
  it('accepts whole milliseconds from 0 to the API maximum', () => {
    expect(parseDelayMs('0')).toEqual({ ok: true, value: 0 });
    expect(parseDelayMs('700')).toEqual({ ok: true, value: 700 });
    expect(parseDelayMs(' 1500 ')).toEqual({ ok: true, value: 1500 });
    expect(parseDelayMs(String(MAX_DELAY_MS))).toEqual({ ok: true, value: MAX_DELAY_MS });
  });

  it('refuses what the API would refuse or misread', () => {
    for (const bad of ['', '  ', '-1', '+5', '1.5', '1e3', '0x10', '7 00', 'abc', String(MAX_DELAY_MS + 1)]) {
      expect(parseDelayMs(bad).ok, JSON.stringify(bad)).toBe(false);
    }
    expect(parseDelayMs('')).toEqual({ ok: false, message: 'Enter a delay in ms.' });
    expect(parseDelayMs('1.5')).toEqual({ ok: false, message: 'A delay in ms must be a whole number.' });
    expect(parseDelayMs('20000')).toEqual({ ok: false, message: `Between 0 and ${MAX_DELAY_MS}.` });
  });
});

describe('parseBurstCount', () => {
  it('accepts 1 to MAX_BURST', () => {
    expect(parseBurstCount('1')).toEqual({ ok: true, value: 1 });
    expect(parseBurstCount('20')).toEqual({ ok: true, value: 20 });
    expect(parseBurstCount(String(MAX_BURST))).toEqual({ ok: true, value: MAX_BURST });
  });

  it('refuses 0, too many, and anything not a whole number', () => {
    for (const bad of ['0', String(MAX_BURST + 1), '', '2.0', '-3', 'ten']) {
      expect(parseBurstCount(bad).ok, JSON.stringify(bad)).toBe(false);
    }
  });
});
