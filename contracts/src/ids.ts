/**
 * The ids the contracts carry, as the patterns the schemas use and the
 * sentence a 400 says when one does not match. No TypeBox here: the page's
 * first chunk imports {@link isTraceId} and must not pull the schema builder in.
 */

/** A W3C trace id as Jaeger and the page print it: 32 lowercase hex digits, not all zero (W3C: invalid). */
export const TRACE_ID_PATTERN = '^(?!0{32})[0-9a-f]{32}$';

/** A W3C span id: 16 lowercase hex digits. */
export const SPAN_ID_PATTERN = '^[0-9a-f]{16}$';

/** At most this many ids in a span id list: an action makes a few requests, each a fetch span and a SERVER span. */
export const MAX_SPAN_ID_LIST = 32;

/** A comma-separated list of 1 to {@link MAX_SPAN_ID_LIST} span ids. */
export const SPAN_ID_LIST_PATTERN = `^[0-9a-f]{16}(,[0-9a-f]{16}){0,${MAX_SPAN_ID_LIST - 1}}$`;

/**
 * An item id, checked as digits rather than with `Type.Integer()`: Fastify's
 * Ajv would coerce " ", "0x10" or "1e3" into integers (0, 16, 1000). At most
 * 15 digits, so it is exact as a JS number.
 */
export const ITEM_ID_PATTERN = '^-?[0-9]{1,15}$';

/**
 * What each pattern means, in the words of a 400 (`params/id must be
 * integer`): Ajv's own "must match pattern …" would print the regex.
 */
export const PATTERN_MEANINGS: Readonly<Record<string, string>> = {
  [TRACE_ID_PATTERN]: 'must be 32 lowercase hex digits, not all zero',
  [ITEM_ID_PATTERN]: 'must be integer',
  [SPAN_ID_PATTERN]: 'must be 16 lowercase hex digits',
  [SPAN_ID_LIST_PATTERN]: `must be 1 to ${MAX_SPAN_ID_LIST} span ids (16 lowercase hex digits each), separated by commas`,
};

const TRACE_ID = new RegExp(TRACE_ID_PATTERN);

export function isTraceId(value: unknown): value is string {
  return typeof value === 'string' && TRACE_ID.test(value);
}
