import { describe, expect, it } from 'vitest';
import { missingSpansText } from '../../src/waterfall/missing-spans';
import { clickTrace } from '../spans';

const view = (spans = clickTrace()) => ({
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  complete: false,
  spans,
});
const known = [
  { spanId: 'a1', what: 'the user action span' },
  { spanId: 'b2', what: 'the fetch span of GET /items/5' },
  { spanId: 'c3', what: "the API's SERVER span of GET /items/5 (its Server-Timing)" },
];

describe('missingSpansText', () => {
  it('says nothing when the trace holds every known span', () => {
    expect(missingSpansText(view(), known)).toBeUndefined();
    expect(missingSpansText(view(), [])).toBeUndefined();
  });

  it('names each known span the trace lacks, with its id, in order', () => {
    const onlyTheAction = view(clickTrace().slice(0, 1));
    expect(missingSpansText(onlyTheAction, known)).toBe(
      "the fetch span of GET /items/5 (b2), the API's SERVER span of GET /items/5 (its Server-Timing) (c3)",
    );
  });
});
