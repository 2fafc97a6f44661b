import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_BUFFER_LIMITS,
  RETRY_BUFFER_VARIABLES,
  RetryBuffer,
  retryBufferLimitsFromEnv,
} from '../src/retry-buffer.ts';

const SIZE = RETRY_BUFFER_VARIABLES.maxSpans.name;
const AGE = RETRY_BUFFER_VARIABLES.maxAgeMs.name;

/** A buffer on a clock the test moves. */
function setup(maxSpans: number, maxAgeMs = 60_000) {
  const clock = { now: 0 };
  const buffer = new RetryBuffer<string>({ maxSpans, maxAgeMs }, () => clock.now);
  const drain = (): string[][] => {
    const batches: string[][] = [];
    for (let batch = buffer.takeOldest(); batch; batch = buffer.takeOldest()) batches.push([...batch.items]);
    return batches;
  };
  return { clock, buffer, drain };
}

describe('RetryBuffer', () => {
  it('gives batches back oldest first, in export order', () => {
    const { buffer, drain } = setup(100);
    buffer.keep(2, ['b1', 'b2']);
    buffer.keep(1, ['a1']);
    buffer.keep(3, ['c1']);
    expect(buffer.size).toBe(4);
    expect(drain()).toEqual([['a1'], ['b1', 'b2'], ['c1']]);
    expect(buffer.size).toBe(0);
    expect(buffer.takeDropped()).toEqual({ full: 0, expired: 0 });
  });

  it('puts a batch whose resend failed back in its place, before newer ones', () => {
    const { buffer, drain } = setup(100);
    buffer.keep(1, ['a']);
    buffer.keep(2, ['b']);
    const first = buffer.takeOldest()!;
    buffer.keep(3, ['c']);
    buffer.putBack(first);
    expect(drain()).toEqual([['a'], ['b'], ['c']]);
  });

  it('never holds more than maxSpans: the oldest spans are dropped first, whole batches then part of one', () => {
    const { buffer, drain } = setup(5);
    buffer.keep(1, ['a1', 'a2']);
    buffer.keep(2, ['b1', 'b2', 'b3']);
    expect(buffer.size).toBe(5);
    buffer.keep(3, ['c1', 'c2', 'c3']);
    expect(buffer.size).toBe(5);
    expect(buffer.takeDropped()).toEqual({ full: 3, expired: 0 });
    expect(drain()).toEqual([
      ['b2', 'b3'],
      ['c1', 'c2', 'c3'],
    ]);
  });

  it('keeps the newest spans of a batch larger than the whole buffer', () => {
    const { buffer, drain } = setup(2);
    buffer.keep(1, ['a1', 'a2', 'a3', 'a4']);
    expect(drain()).toEqual([['a3', 'a4']]);
    expect(buffer.takeDropped().full).toBe(2);
  });

  it('counts drops until they are taken, then starts again from zero', () => {
    const { buffer } = setup(1);
    buffer.keep(1, ['a']);
    buffer.keep(2, ['b']);
    buffer.keep(3, ['c']);
    expect(buffer.takeDropped()).toEqual({ full: 2, expired: 0 });
    expect(buffer.takeDropped()).toEqual({ full: 0, expired: 0 });
  });

  it('drops batches older than maxAgeMs, counting their spans', () => {
    const { clock, buffer, drain } = setup(100, 1000);
    buffer.keep(1, ['old1', 'old2']);
    clock.now = 600;
    buffer.keep(2, ['young']);
    clock.now = 1001;
    expect(drain()).toEqual([['young']]);
    expect(buffer.takeDropped()).toEqual({ full: 0, expired: 2 });
  });

  it('keeps a batch exactly maxAgeMs old', () => {
    const { clock, buffer, drain } = setup(100, 1000);
    buffer.keep(1, ['a']);
    clock.now = 1000;
    expect(drain()).toEqual([['a']]);
  });

  it('ages a batch from when it was first kept, also after a failed resend', () => {
    const { clock, buffer } = setup(100, 1000);
    buffer.keep(1, ['a']);
    clock.now = 900;
    const batch = buffer.takeOldest()!;
    clock.now = 1100;
    buffer.putBack(batch);
    expect(buffer.size).toBe(0);
    expect(buffer.takeDropped()).toEqual({ full: 0, expired: 1 });
  });

  it('ignores empty batches', () => {
    const { buffer } = setup(10);
    buffer.keep(1, []);
    expect(buffer.size).toBe(0);
    expect(buffer.takeOldest()).toBeUndefined();
  });

  it('clear() empties it, returns the count and counts no drop (the caller says why)', () => {
    const { buffer } = setup(10);
    buffer.keep(1, ['a', 'b']);
    buffer.keep(2, ['c']);
    expect(buffer.clear()).toBe(3);
    expect(buffer.size).toBe(0);
    expect(buffer.takeDropped()).toEqual({ full: 0, expired: 0 });
  });
});

describe('retryBufferLimitsFromEnv', () => {
  function read(env: Record<string, string | undefined>) {
    const lines: string[] = [];
    return { limits: retryBufferLimitsFromEnv(env, (line) => lines.push(line)), lines };
  }

  it('uses the defaults (8192 spans, 300000 ms) when unset or empty, silently', () => {
    expect(DEFAULT_RETRY_BUFFER_LIMITS).toEqual({ maxSpans: 8192, maxAgeMs: 300_000 });
    expect(read({})).toEqual({ limits: DEFAULT_RETRY_BUFFER_LIMITS, lines: [] });
    expect(read({ [SIZE]: '', [AGE]: ' ' })).toEqual({ limits: DEFAULT_RETRY_BUFFER_LIMITS, lines: [] });
  });

  it('reads whole numbers within the bounds, the bounds included', () => {
    expect(read({ [SIZE]: '1', [AGE]: '1000' })).toEqual({
      limits: { maxSpans: 1, maxAgeMs: 1000 },
      lines: [],
    });
    expect(read({ [SIZE]: '1000000', [AGE]: ' 3600000 ' })).toEqual({
      limits: { maxSpans: 1_000_000, maxAgeMs: 3_600_000 },
      lines: [],
    });
  });

  it.each([
    [SIZE, 'abc'],
    [SIZE, '0'],
    [SIZE, '-5'],
    [SIZE, '1.5'],
    [SIZE, '1e3'],
    [SIZE, '0x10'],
    [SIZE, '1000001'],
    [AGE, '999'],
    [AGE, '3600001'],
    [AGE, '5s'],
    [AGE, 'Infinity'],
  ])('rejects %s=%j: one sentence naming the variable and the value, and the default', (name, value) => {
    const { limits, lines } = read({ [name]: value });
    expect(limits).toEqual(DEFAULT_RETRY_BUFFER_LIMITS);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(lines[0]).toContain(`"${value}"`);
    expect(lines[0]).toMatch(/using \d+\.$/);
    expect(lines[0]).not.toContain('\n');
  });

  it('keeps a good value when the other one is bad', () => {
    const { limits, lines } = read({ [SIZE]: '100', [AGE]: 'soon' });
    expect(limits).toEqual({ maxSpans: 100, maxAgeMs: 300_000 });
    expect(lines).toHaveLength(1);
  });
});
