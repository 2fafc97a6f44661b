import { describe, expect, it } from 'vitest';
import {
  closestCandidates,
  describeSelector,
  describeSpan,
  explainMismatch,
  findSpans,
  matchesSelector,
} from '../src/selector.ts';
import type { SpanSelector } from '../src/selector.ts';
import { SERVER_SPAN_ID, loadTrace } from './helpers.ts';

const trace = loadTrace('items-ok');
const server = trace.span(SERVER_SPAN_ID)!;
const SERVER: SpanSelector = {
  service: 'api',
  kind: 'SERVER',
  name: 'GET /items/:id',
  attributes: { 'http.route': '/items/:id' },
};

describe('matchesSelector / findSpans', () => {
  it('matches on every given field', () => {
    expect(matchesSelector(server, SERVER)).toBe(true);
    expect(matchesSelector(server, {})).toBe(true);
    expect(findSpans(trace, SERVER).map((s) => s.spanId)).toEqual([SERVER_SPAN_ID]);
    expect(findSpans(trace, { service: 'api' })).toHaveLength(3);
    expect(findSpans(trace, {})).toHaveLength(4);
  });

  it('rejects each differing field', () => {
    expect(matchesSelector(server, { ...SERVER, service: 'web' })).toBe(false);
    expect(matchesSelector(server, { ...SERVER, kind: 'CLIENT' })).toBe(false);
    expect(matchesSelector(server, { ...SERVER, name: 'GET' })).toBe(false);
    expect(matchesSelector(server, { ...SERVER, status: 'ERROR' })).toBe(false);
    expect(matchesSelector(server, { attributes: { 'http.route': '/items' } })).toBe(false);
    expect(matchesSelector(server, { attributes: { 'no.such.attribute': 'x' } })).toBe(false);
  });

  it('matches a span by its id, and no other span', () => {
    expect(findSpans(trace, { spanId: SERVER_SPAN_ID })).toEqual([server]);
    expect(matchesSelector(server, { ...SERVER, spanId: SERVER_SPAN_ID })).toBe(true);
    expect(matchesSelector(server, { spanId: 'ffffffffffffffff' })).toBe(false);
    expect(explainMismatch(server, { spanId: 'ffffffffffffffff' })).toEqual([
      `spanId: expected ffffffffffffffff, got ${SERVER_SPAN_ID}`,
    ]);
    expect(describeSelector({ spanId: SERVER_SPAN_ID, service: 'api' })).toBe(`span ${SERVER_SPAN_ID} api`);
  });

  it('uses the resource service.name, not a span attribute of the same name', () => {
    // @fastify/otel spans carry service.name=fastify as a span attribute.
    expect(findSpans(trace, { service: 'api', name: 'request' })).toHaveLength(1);
    expect(findSpans(trace, { service: 'fastify' })).toHaveLength(0);
  });

  it('compares attribute values with their type', () => {
    expect(matchesSelector(server, { attributes: { 'http.response.status_code': 200 } })).toBe(true);
    expect(matchesSelector(server, { attributes: { 'http.response.status_code': '200' } })).toBe(false);
  });

  it('supports RegExp names and attributes, statelessly even with /g', () => {
    const re = /^GET \/items/g;
    expect(matchesSelector(server, { name: re })).toBe(true);
    expect(matchesSelector(server, { name: re })).toBe(true);
    expect(matchesSelector(server, { attributes: { 'url.path': /^\/api\/items\/\d+$/ } })).toBe(true);
    expect(matchesSelector(server, { attributes: { 'http.response.status_code': /^2\d\d$/ } })).toBe(true);
    expect(matchesSelector(server, { attributes: { 'url.path': /^\/items/ } })).toBe(false);
    expect(matchesSelector(server, { attributes: { missing: /.*/ } })).toBe(false);
  });

  it('supports predicate attributes, also for absent ones', () => {
    const isAbsent = (v: unknown) => v === undefined;
    expect(matchesSelector(server, { attributes: { 'error.type': isAbsent } })).toBe(true);
    expect(matchesSelector(server, { attributes: { 'http.route': isAbsent } })).toBe(false);
  });

  it('compares arrays and maps deeply', () => {
    const web = trace.roots()[0]!;
    const span = { ...web, attributes: { list: ['a', 1], map: { k: [true] } } };
    expect(matchesSelector(span, { attributes: { list: ['a', 1], map: { k: [true] } } })).toBe(true);
    expect(matchesSelector(span, { attributes: { list: ['a'] } })).toBe(false);
    expect(matchesSelector(span, { attributes: { map: { k: [false] } } })).toBe(false);
    expect(matchesSelector(span, { attributes: { map: { k: [true], extra: 1 } } })).toBe(false);
  });

  it('does not read inherited properties as attributes', () => {
    expect(matchesSelector(server, { attributes: { constructor: (v: unknown) => v !== undefined } })).toBe(
      false,
    );
  });
});

describe('describeSelector', () => {
  it('renders a readable one-liner', () => {
    expect(describeSelector(SERVER)).toBe('api SERVER "GET /items/:id" {http.route=/items/:id}');
    expect(describeSelector({})).toBe('any span');
    expect(describeSelector({ service: 'web', kind: 'CLIENT', name: /^GET/ })).toBe('web CLIENT /^GET/');
    function isSlow(v: unknown) {
      return typeof v === 'number' && v > 1;
    }
    expect(
      describeSelector({
        attributes: { 'http.response.status_code': 500, 'url.path': /items/, 'x.slow': isSlow },
        status: 'ERROR',
      }),
    ).toBe('{http.response.status_code=500, url.path~/items/, x.slow satisfies isSlow} status=ERROR');
  });

  it('describes spans', () => {
    expect(describeSpan(server)).toBe(`api SERVER "GET /items/:id" (span ${SERVER_SPAN_ID})`);
  });
});

describe('explainMismatch', () => {
  it('is empty for a match', () => {
    expect(explainMismatch(server, SERVER)).toEqual([]);
  });

  it('lists every differing field', () => {
    expect(
      explainMismatch(server, {
        service: 'web',
        kind: 'CLIENT',
        name: /^POST/,
        attributes: {
          'http.route': '/items',
          'http.response.status_code': '200',
          'error.type': '500',
          'url.path': /^\/v2/,
        },
        status: 'ERROR',
      }),
    ).toEqual([
      'service: expected "web", got "api"',
      'kind: expected CLIENT, got SERVER',
      'name: expected to match /^POST/, got "GET /items/:id"',
      'attribute http.route: expected "/items", got "/items/:id"',
      'attribute http.response.status_code: expected "200", got 200 (number)',
      'attribute error.type: expected "500", got (missing)',
      'attribute url.path: expected a value matching /^\\/v2/, got "/api/items/42"',
      'status: expected ERROR, got UNSET',
    ]);
  });

  it('ranks the closest candidates first', () => {
    const candidates = closestCandidates(trace.spans, { ...SERVER, attributes: { 'http.route': '/items' } });
    expect(candidates[0]?.span.spanId).toBe(SERVER_SPAN_ID);
    expect(candidates[0]?.mismatches).toEqual(['attribute http.route: expected "/items", got "/items/:id"']);
    expect(candidates.length).toBe(3);
  });
});
