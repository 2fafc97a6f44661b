import { describe, expect, it } from 'vitest';
import { ACTIONS_HREF, parseRoute, traceListHref } from '../../src/trace-list/route';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('parseRoute', () => {
  it.each(['', '#', '#/', ACTIONS_HREF, '#/items', '#/tracesX', '#traces', '#/trace/abc'])(
    'shows the actions for %j',
    (hash) => {
      expect(parseRoute(hash)).toEqual({ view: 'actions' });
    },
  );

  it('shows the trace list for #/traces, with or without a trailing slash', () => {
    expect(parseRoute('#/traces')).toEqual({ view: 'traces', traceId: null });
    expect(parseRoute('#/traces/')).toEqual({ view: 'traces', traceId: null });
  });

  it('opens the trace of #/traces/<id>, ignoring anything after it', () => {
    expect(parseRoute(`#/traces/${TRACE_ID}`)).toEqual({ view: 'traces', traceId: TRACE_ID });
    expect(parseRoute(`#/traces/${TRACE_ID}/more`)).toEqual({ view: 'traces', traceId: TRACE_ID });
  });

  it('keeps an id that is not a trace id, decoded, for the trace panel to reject', () => {
    expect(parseRoute('#/traces/not%20an%20id')).toEqual({ view: 'traces', traceId: 'not an id' });
    expect(parseRoute('#/traces/%E0%A4%A')).toEqual({ view: 'traces', traceId: '%E0%A4%A' });
  });
});

describe('traceListHref', () => {
  it('links to the list, or to one trace in it', () => {
    expect(traceListHref()).toBe('#/traces');
    expect(traceListHref(TRACE_ID)).toBe(`#/traces/${TRACE_ID}`);
  });

  it('round-trips through parseRoute, whatever the id holds', () => {
    for (const id of [TRACE_ID, 'a/b?c#d', 'é']) {
      expect(parseRoute(traceListHref(id))).toEqual({ view: 'traces', traceId: id });
    }
  });
});
