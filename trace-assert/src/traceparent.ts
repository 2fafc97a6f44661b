/**
 * W3C Trace Context `traceparent` header, parsed strictly.
 *
 * Strict on purpose: the test wants to know that the browser sent a header the
 * API's propagator will accept. A lenient parser would hide e.g. an uppercase
 * id that @opentelemetry/core's W3CTraceContextPropagator silently drops, and
 * the trace would then split in two with no obvious cause.
 *
 * Spec: https://www.w3.org/TR/trace-context/#traceparent-header
 */

/** A parsed `traceparent` header. */
export interface Traceparent {
  /** Two lowercase hex digits; `00` today. */
  version: string;
  /** 32 lowercase hex digits, not all zero. */
  traceId: string;
  /** 16 lowercase hex digits, not all zero: the span id of the caller (here: the browser fetch span). */
  parentSpanId: string;
  /** Bit 0 of the flags: the caller recorded and exported its span. */
  sampled: boolean;
  /** The trace flags as a number (0..255). */
  flags: number;
}

const ALL_ZERO = /^0+$/;

/** Describes why `value` is not `length` lowercase hex digits, for error messages. */
function hexProblem(value: string, length: number): string | undefined {
  if (value.length !== length) return `must be ${length} hex digits, got ${value.length}`;
  if (/[A-F]/.test(value) && /^[0-9a-fA-F]+$/.test(value)) return 'must be lowercase hex';
  if (!/^[0-9a-f]+$/.test(value)) return 'must contain only hex digits 0-9a-f';
  return undefined;
}

/**
 * Parses a `traceparent` header value strictly per W3C Trace Context.
 *
 * Leading/trailing whitespace is ignored (HTTP optional whitespace); anything
 * else that the spec does not allow throws an Error that names the bad field,
 * e.g. `invalid traceparent "…": trace-id must not be all zeros`.
 */
export function parseTraceparent(header: string): Traceparent {
  const value = header.trim();
  const fail = (why: string): never => {
    throw new Error(`invalid traceparent ${JSON.stringify(header)}: ${why}`);
  };
  const parts = value.split('-');
  if (parts.length < 4) fail(`expected 4 fields "version-traceid-parentid-flags", got ${parts.length}`);
  const [version = '', traceId = '', parentSpanId = '', flagsHex = ''] = parts;

  const versionProblem = hexProblem(version, 2);
  if (versionProblem) fail(`version ${versionProblem}`);
  if (version === 'ff') fail('version ff is forbidden');
  // Version 00 has exactly four fields. Later versions may append fields, which
  // a version-00 parser must ignore (spec: "parse the first four fields").
  if (version === '00' && parts.length !== 4)
    fail(`version 00 must have exactly 4 fields, got ${parts.length}`);

  const traceProblem = hexProblem(traceId, 32);
  if (traceProblem) fail(`trace-id ${traceProblem}`);
  if (ALL_ZERO.test(traceId)) fail('trace-id must not be all zeros');

  const parentProblem = hexProblem(parentSpanId, 16);
  if (parentProblem) fail(`parent-id ${parentProblem}`);
  if (ALL_ZERO.test(parentSpanId)) fail('parent-id must not be all zeros');

  const flagsProblem = hexProblem(flagsHex, 2);
  if (flagsProblem) fail(`trace-flags ${flagsProblem}`);

  const flags = parseInt(flagsHex, 16);
  return { version, traceId, parentSpanId, sampled: (flags & 0x01) === 0x01, flags };
}

/**
 * Builds a `traceparent` header value. Validates its input with the same rules
 * as {@link parseTraceparent}, so tests cannot accidentally build a header the
 * API would reject. `flags` wins over `sampled`; default is sampled (`01`).
 */
export function formatTraceparent(ctx: {
  traceId: string;
  parentSpanId: string;
  sampled?: boolean;
  flags?: number;
  version?: string;
}): string {
  const version = ctx.version ?? '00';
  const flags = ctx.flags ?? (ctx.sampled === false ? 0 : 1);
  if (!Number.isInteger(flags) || flags < 0 || flags > 255) {
    throw new Error(`invalid trace flags ${flags}: must be an integer 0..255`);
  }
  const header = `${version}-${ctx.traceId}-${ctx.parentSpanId}-${flags.toString(16).padStart(2, '0')}`;
  // Round-trip through the parser so a bad id gets the same precise message.
  parseTraceparent(header);
  return header;
}
