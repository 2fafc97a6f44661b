/**
 * A deterministic fuzz set of `traceparent` values that the W3C Trace Context
 * spec says a receiver MUST ignore (and then start a new trace): each takes a
 * valid header and breaks exactly one thing. Only printable ASCII, so every
 * value can travel in an HTTP header.
 */

/** A small seeded PRNG (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(next: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(next() * 16).toString(16);
  return out;
}

export interface MalformedTraceparent {
  /** What is wrong with it. */
  flaw: string;
  value: string;
  /** The trace id it carries, if its trace-id field looks like one (the API must NOT continue it). */
  embeddedTraceId: string;
}

type Parts = { version: string; traceId: string; spanId: string; flags: string };
const join = (p: Parts) => `${p.version}-${p.traceId}-${p.spanId}-${p.flags}`;

/** One broken variant per entry, applied to a valid header. */
const FLAWS: [string, (p: Parts) => string][] = [
  ['version ff (forbidden)', (p) => join({ ...p, version: 'ff' })],
  ['version uppercase FF', (p) => join({ ...p, version: 'FF' })],
  ['version not hex', (p) => join({ ...p, version: '0g' })],
  ['version one digit', (p) => join({ ...p, version: '0' })],
  ['version three digits', (p) => join({ ...p, version: '000' })],
  ['all-zero trace id', (p) => join({ ...p, traceId: '0'.repeat(32) })],
  ['trace id 31 chars', (p) => join({ ...p, traceId: p.traceId.slice(1) })],
  ['trace id 33 chars', (p) => join({ ...p, traceId: `${p.traceId}a` })],
  ['trace id uppercase', (p) => join({ ...p, traceId: p.traceId.toUpperCase().replace(/^[0-9]/, 'A') })],
  ['trace id not hex', (p) => join({ ...p, traceId: `${p.traceId.slice(0, 31)}z` })],
  ['all-zero span id', (p) => join({ ...p, spanId: '0'.repeat(16) })],
  ['span id 15 chars', (p) => join({ ...p, spanId: p.spanId.slice(1) })],
  ['span id 17 chars', (p) => join({ ...p, spanId: `${p.spanId}b` })],
  ['span id uppercase', (p) => join({ ...p, spanId: p.spanId.toUpperCase().replace(/^[0-9]/, 'B') })],
  ['span id not hex', (p) => join({ ...p, spanId: `${p.spanId.slice(0, 15)}x` })],
  ['flags not hex', (p) => join({ ...p, flags: '0g' })],
  ['flags one digit', (p) => join({ ...p, flags: '1' })],
  ['flags three digits', (p) => join({ ...p, flags: '001' })],
  ['flags missing', (p) => `${p.version}-${p.traceId}-${p.spanId}`],
  ['flags empty', (p) => `${p.version}-${p.traceId}-${p.spanId}-`],
  ['extra field on version 00', (p) => `${join(p)}-extra`],
  ['underscores for dashes', (p) => join(p).replace(/-/g, '_')],
  ['missing a dash', (p) => join(p).replace('-', '')],
  ['spaces inside', (p) => join(p).replace('-', ' - ')],
  ['trace and span swapped', (p) => `${p.version}-${p.spanId}-${p.traceId}-${p.flags}`],
  ['only the trace id', (p) => p.traceId],
  ['empty', () => ''],
  ['garbage', (p) => `not-a-traceparent-${p.spanId}`],
  ['very long', (p) => `${join(p)}${'0'.repeat(2048)}`],
  ['JSON instead', (p) => JSON.stringify(p)],
];

/** `rounds` valid headers × every flaw: a few hundred malformed values. */
export function malformedTraceparents(rounds = 10, seed = 0x5eed): MalformedTraceparent[] {
  const next = random(seed);
  const out: MalformedTraceparent[] = [];
  for (let round = 0; round < rounds; round += 1) {
    // Never all zeros: the valid starting point must be valid.
    const parts: Parts = {
      version: '00',
      traceId: `1${hex(next, 31)}`,
      spanId: `2${hex(next, 15)}`,
      flags: '01',
    };
    for (const [flaw, breakIt] of FLAWS)
      out.push({ flaw, value: breakIt(parts), embeddedTraceId: parts.traceId });
  }
  return out;
}
