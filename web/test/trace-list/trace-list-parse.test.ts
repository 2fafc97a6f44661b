import { describe, expect, it } from 'vitest';
import type { TraceList, TraceSummary } from '@tracing-demo/contracts';
import { ContractError, parseTraceList } from '../../src/trace-list/trace-list-parse';

const summary: TraceSummary = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  service: 'web',
  rootName: 'user_action GET /items/{id}',
  startUnixMs: 1_763_900_000_000,
  durationMs: 27.9,
  spanCount: 10,
  errorCount: 0,
  services: ['web', 'api', 'inventory'],
  connected: true,
};
const list: TraceList = {
  services: ['api', 'e2e', 'inventory', 'web'],
  traces: [
    summary,
    { ...summary, traceId: '0af7651916cd43dd8448eb211c80319c', service: 'e2e', services: ['e2e', 'web'] },
  ],
};

/** The problem parseTraceList reports, or undefined if it accepts the body. */
function problem(body: unknown, service?: string): string | undefined {
  try {
    parseTraceList(body, service);
    return undefined;
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    return error.problem;
  }
}

describe('parseTraceList', () => {
  it('accepts the contract, an empty list included', () => {
    expect(parseTraceList(list)).toEqual(list);
    expect(parseTraceList({ services: [], traces: [] })).toEqual({ services: [], traces: [] });
    expect(parseTraceList(list, 'web')).toEqual(list);
  });

  it.each([
    ['not an object', 'Not Found', '(root) must be object, got "Not Found"'],
    ['no services', { traces: [] }, 'services is missing'],
    [
      'a summary without its span count',
      { ...list, traces: [{ ...summary, spanCount: undefined }] },
      'traces[0].spanCount must be integer, got nothing',
    ],
    [
      'a trace id that is not one',
      { ...list, traces: [{ ...summary, traceId: 'xyz' }] },
      'traces[0].traceId',
    ],
    [
      'a negative duration',
      { ...list, traces: [{ ...summary, durationMs: -1 }] },
      'traces[0].durationMs must be >= 0',
    ],
    [
      'no span at all',
      { ...list, traces: [{ ...summary, spanCount: 0 }] },
      'traces[0].spanCount must be >= 1',
    ],
    [
      'a fractional error count',
      { ...list, traces: [{ ...summary, errorCount: 0.5 }] },
      'traces[0].errorCount must be integer',
    ],
  ])('rejects %s, naming the field', (_label, body, expected) => {
    expect(problem(body)).toContain(expected);
  });

  it('rejects a trace listed twice', () => {
    expect(problem({ ...list, traces: [summary, summary] })).toBe(
      `traces[1] lists trace ${summary.traceId} a second time`,
    );
  });

  it('rejects a trace without a span of the service asked for: the API answered another question', () => {
    expect(problem(list, 'e2e')).toBe('traces[0] has no span of service "e2e", which the list was asked for');
  });
});
