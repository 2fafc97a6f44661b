import { describe, expect, it } from 'vitest';
import { parseOtlpTrace } from '../src/otlp-json.ts';
import { renderWaterfall } from '../src/waterfall.ts';
import {
  ERR_TRACE_ID,
  OK_TRACE_ID,
  WEB_SPAN_ID,
  loadJson,
  loadTrace,
  rawSpans,
  withoutSpans,
} from './helpers.ts';

describe('renderWaterfall', () => {
  it('renders one line per span in tree order, with offsets, durations and status', () => {
    const lines = renderWaterfall(loadTrace('items-ok')).split('\n');
    expect(lines[0]).toBe(`Trace ${OK_TRACE_ID}: 4 spans, services web, api, 24.50ms`);
    expect(lines[1]).toMatch(/^ {2}span +start +duration +status$/);
    const rows = lines.slice(2);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/^ {2}web CLIENT GET +\+0\.00ms +24\.50ms +UNSET +span=00f067aa0ba902b7$/);
    expect(rows[1]).toMatch(
      /^ {4}api SERVER GET \/items\/:id +\+3\.20ms +18\.70ms +UNSET +span=b7ad6b7169203331$/,
    );
    expect(rows[2]).toMatch(/^ {6}api INTERNAL request +\+3\.60ms +17\.90ms +UNSET/);
    expect(rows[3]).toMatch(
      /^ {8}api INTERNAL handler - fastify -> @fastify\/otel +\+4\.10ms +16\.70ms +UNSET/,
    );
    // Columns line up: the duration column ends at the same place on every row.
    const ends = rows.map((r) => r.search(/ms +UNSET/) + 2);
    expect(new Set(ends).size).toBe(1);
    expect(lines.some((l) => l.includes('orphans'))).toBe(false);
    expect(lines.some((l) => l.startsWith('Jaeger:'))).toBe(false);
  });

  it('marks ERROR spans with "!" and their message', () => {
    const lines = renderWaterfall(loadTrace('items-500')).split('\n');
    const handler = lines.find((l) => l.includes('handler - fastify'));
    expect(handler).toMatch(
      /^! {7}api INTERNAL handler .* ERROR: item store unavailable +span=c0ffee00deadbeef$/,
    );
    const server = lines.find((l) => l.includes('api SERVER'));
    expect(server).toMatch(/^! .* ERROR +span=/);
    expect(lines.filter((l) => l.startsWith('!'))).toHaveLength(4);
  });

  it('lists orphans under their own heading', () => {
    const partial = parseOtlpTrace(withoutSpans(loadJson('items-ok'), (s) => s.spanId === WEB_SPAN_ID));
    const lines = renderWaterfall(partial).split('\n');
    expect(lines[2]).toBe('orphans (parent not in trace):');
    expect(lines[3]).toMatch(/^ {2}api SERVER GET \/items\/:id .*\(parent 00f067aa0ba902b7 missing\)$/);
    expect(lines[4]).toMatch(/^ {4}api INTERNAL request/);
    expect(lines[5]).toMatch(/^ {6}api INTERNAL handler/);
  });

  it('sorts siblings by start time and still prints spans caught in a parent cycle', () => {
    const doc = loadJson('items-ok');
    const spans = rawSpans(doc);
    // Make request and handler point at each other: neither root nor orphan.
    const request = spans.find((s) => s.name === 'request')!;
    const handler = spans.find((s) => s.name.startsWith('handler'))!;
    request.parentSpanId = handler.spanId;
    const lines = renderWaterfall(parseOtlpTrace(doc)).split('\n');
    expect(lines).toContain('unreachable (parent cycle):');
    expect(lines.filter((l) => l.includes('api INTERNAL'))).toHaveLength(2);
  });

  it('ends with the link, from the option or else the trace, and without one when neither has it', () => {
    const plain = loadTrace('items-500');
    expect(renderWaterfall(plain).split('\n').at(-1)).not.toMatch(/^Open:/);
    const link = `http://localhost:16686/trace/${ERR_TRACE_ID}`;
    expect(renderWaterfall(plain, { link }).split('\n').at(-1)).toBe(`Open: ${link}`);
    const linked = loadTrace('items-500', `http://jaeger:16686/trace/${ERR_TRACE_ID}`);
    expect(renderWaterfall(linked).split('\n').at(-1)).toBe(
      `Open: http://jaeger:16686/trace/${ERR_TRACE_ID}`,
    );
    expect(renderWaterfall(linked, { link }).split('\n').at(-1)).toBe(`Open: ${link}`);
  });
});
