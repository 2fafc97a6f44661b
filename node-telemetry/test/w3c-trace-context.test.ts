/**
 * The propagator against the rules of W3C Trace Context Level 2
 * (https://www.w3.org/TR/trace-context-2/): each row a header set as it
 * arrives, what is extracted, and what goes out again on the next hop.
 */
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { describe, expect, it } from 'vitest';
import { parseTraceState, W3CTraceContextLevel2Propagator, W3CTraceState } from '../src/w3c-trace-context.ts';

const TRACE_ID = '12345678901234567890123456789012';
const PARENT_ID = '1234567890123456';
const CHILD_ID = 'abcdefabcdefabcd';
const traceparent = (flags = '01', version = '00', rest = '') =>
  `${version}-${TRACE_ID}-${PARENT_ID}-${flags}${rest}`;

const propagator = new W3CTraceContextLevel2Propagator();

/** What a service does with the headers: extract, start a child span, inject into its next request. */
function hop(headers: Record<string, string | string[]>, childFlags = TraceFlags.SAMPLED) {
  const extracted = propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
  const parent = trace.getSpanContext(extracted);
  const out: Record<string, string> = {};
  if (parent !== undefined) {
    // The SDK's child span: same trace and state, its own id, only the sampled bit.
    const child = { ...parent, spanId: CHILD_ID, traceFlags: childFlags, isRemote: false };
    propagator.inject(trace.setSpanContext(extracted, child), out, defaultTextMapSetter);
  }
  return { parent, out };
}

const members = (count: number) =>
  Array.from({ length: count }, (_, i) => `bar${String(i + 1).padStart(2, '0')}=${i + 1}`);

describe('traceparent: what core already gets right stays right', () => {
  it.each<[string, boolean, string]>([
    ['version 00', true, traceparent()],
    ['a future version with extra fields', true, traceparent('01', 'cc', '-what-the-future-holds')],
    ['a future version, 55 characters', true, traceparent('01', 'cc')],
    ['leading and trailing whitespace', true, ` ${traceparent()}\t`],
    ['version ff', false, traceparent('01', 'ff')],
    ['version 00 with extra fields', false, traceparent('01', '00', '-extra')],
    ['a future version whose extra part does not start with "-"', false, traceparent('01', 'cc', 'x')],
    ['upper-case hex', false, `00-${'ABCDEF'.repeat(5)}AB-${PARENT_ID}-01`],
    ['an all-zero trace id', false, `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
    ['an all-zero parent id', false, `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['flags of one digit', false, `00-${TRACE_ID}-${PARENT_ID}-1`],
    ['two headers, as Node joins them', false, `${traceparent()}, 00-${'a'.repeat(32)}-${PARENT_ID}-01`],
  ])('%s: continued = %s', (_label, continued, header) => {
    const { parent, out } = hop({ traceparent: header, tracestate: 'foo=1' });
    if (!continued) {
      expect(parent).toBeUndefined();
      expect(out).toEqual({});
      return;
    }
    expect(parent).toMatchObject({ traceId: TRACE_ID, spanId: PARENT_ID, isRemote: true });
    expect(out.traceparent).toBe(`00-${TRACE_ID}-${CHILD_ID}-01`);
    expect(out.tracestate).toBe('foo=1');
  });

  it('a tracestate without a traceparent is not extracted', () => {
    expect(hop({ tracestate: 'foo=1' }).parent).toBeUndefined();
  });
});

describe('the random flag (trace-flags 0x02)', () => {
  it.each([
    ['03', TraceFlags.SAMPLED, '03'],
    ['02', TraceFlags.NONE, '02'],
    ['01', TraceFlags.SAMPLED, '01'],
    ['00', TraceFlags.NONE, '00'],
  ])('incoming %s, child span flags %i: the next hop gets %s', (incoming, childFlags, outgoing) => {
    expect(hop({ traceparent: traceparent(incoming) }, childFlags).out.traceparent).toBe(
      `00-${TRACE_ID}-${CHILD_ID}-${outgoing}`,
    );
  });

  it('is carried only within the trace it came with', () => {
    const extracted = propagator.extract(
      ROOT_CONTEXT,
      { traceparent: traceparent('03') },
      defaultTextMapGetter,
    );
    const other = { traceId: 'f'.repeat(32), spanId: CHILD_ID, traceFlags: TraceFlags.SAMPLED };
    const out: Record<string, string> = {};
    propagator.inject(trace.setSpanContext(extracted, other), out, defaultTextMapSetter);
    expect(out.traceparent).toBe(`00-${'f'.repeat(32)}-${CHILD_ID}-01`);
  });

  it('core alone drops it (why this propagator exists)', () => {
    const core = new W3CTraceContextPropagator();
    const extracted = core.extract(ROOT_CONTEXT, { traceparent: traceparent('03') }, defaultTextMapGetter);
    const child = { ...trace.getSpanContext(extracted)!, spanId: CHILD_ID, traceFlags: TraceFlags.SAMPLED };
    const out: Record<string, string> = {};
    core.inject(trace.setSpanContext(extracted, child), out, defaultTextMapSetter);
    expect(out.traceparent).toBe(`00-${TRACE_ID}-${CHILD_ID}-01`);
  });
});

describe('tracestate: passed on as it came, or dropped whole', () => {
  const key256 = 'z'.repeat(256);
  const tenant256 = `${'t'.repeat(241)}@${'v'.repeat(14)}`;
  const allowed = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i))
    .filter((c) => c !== ',' && c !== '=')
    .join('');

  it.each<[string, string | string[], string | undefined]>([
    ['one member', 'foo=1', 'foo=1'],
    [
      'spaces and tabs around the commas and the list',
      ' \tfoo=1 \t, \t bar=2,\tbaz=3 \t',
      'foo=1,bar=2,baz=3',
    ],
    ['empty list-members', 'foo=1,, ,bar=2,', 'foo=1,bar=2'],
    ['several headers, merged in order', ['foo=1', 'bar=2'], 'foo=1,bar=2'],
    ['several headers as Node joins them', 'foo=1, bar=2', 'foo=1,bar=2'],
    ['an empty header beside another', ['', 'foo=1'], 'foo=1'],
    ['32 members', members(32).join(','), members(32).join(',')],
    ['a 256-character key', `foo=1,${key256}=1`, `foo=1,${key256}=1`],
    ['a 256-character multi-tenant key', `${tenant256}=1`, `${tenant256}=1`],
    [
      'Level 2 keys with @ anywhere after the first character',
      'foo@=1,foo@@bar=2,t@vvvvvvvvvvvvvvv=3',
      'foo@=1,foo@@bar=2,t@vvvvvvvvvvvvvvv=3',
    ],
    ['a key that starts with a digit', '0foo=1', '0foo=1'],
    ['every allowed value character', `foo=${allowed.slice(1)}`, `foo=${allowed.slice(1)}`],
    ['a value with inner spaces', 'foo=a b', 'foo=a b'],
    ['a key given twice: the first is kept', 'foo=1,foo=2', 'foo=1'],
    // Dropped whole:
    ['an empty header', '', undefined],
    ['33 members', members(33).join(','), undefined],
    ['33 members over several headers', [members(30).join(','), members(33).slice(30).join(',')], undefined],
    ['a 257-character key', `foo=1,${'z'.repeat(257)}=1`, undefined],
    ['an upper-case key', 'foo=1,FOO=2', undefined],
    ['a key that starts with @', 'foo=1,@foo=2', undefined],
    ['a key with an illegal character', 'foo=1,fo.o=2', undefined],
    ['an empty value', 'foo=,bar=3', undefined],
    ['a value with "="', 'foo=bar=baz', undefined],
    ['a value with a character outside 0x20-0x7E', 'foo=1,bar=\u00e9', undefined],
    ['a 257-character value', `foo=${'v'.repeat(257)}`, undefined],
    ['a member without "="', 'foo=1,bar', undefined],
    ['a member with a space inside the key', 'fo o=1', undefined],
  ])('%s', (_label, header, expected) => {
    const { parent, out } = hop({ traceparent: traceparent(), tracestate: header });
    expect(parent?.traceId, 'the trace is continued either way').toBe(TRACE_ID);
    expect(out.tracestate).toBe(expected);
  });

  it('core alone keeps the valid members of a header with an invalid one, and cuts 33 to 32', () => {
    const core = new W3CTraceContextPropagator();
    const state = (tracestate: string) =>
      trace
        .getSpanContext(
          core.extract(ROOT_CONTEXT, { traceparent: traceparent(), tracestate }, defaultTextMapGetter),
        )
        ?.traceState?.serialize();
    expect(state('foo=1,FOO=2')).toBe('foo=1');
    expect(state(members(33).join(','))?.split(',')).toHaveLength(32);
    expect(state('foo@=1')).toBe('');
  });
});

describe('W3CTraceState', () => {
  it('moves an updated member to the front and refuses members that break the grammar', () => {
    const state = parseTraceState('foo=1,bar=2')!;
    expect(state.set('bar', '3').serialize()).toBe('bar=3,foo=1');
    expect(state.set('new@vendor', 'x').serialize()).toBe('new@vendor=x,foo=1,bar=2');
    expect(state.set('BAD', 'x')).toBe(state);
    expect(state.set('ok', 'a=b')).toBe(state);
    expect(state.unset('foo').serialize()).toBe('bar=2');
    expect(state.get('bar')).toBe('2');
    expect(new W3CTraceState().serialize()).toBe('');
  });
});
