/**
 * W3C Trace Context Level 2, to the letter: `@opentelemetry/core`'s
 * W3CTraceContextPropagator, with the three rules it gets wrong put right.
 *
 * - `tracestate` (Level 2, "tracestate Header Field Values"): the key grammar is
 *   `[0-9a-z][_0-9a-z\-*\/@]{0,255}` (core checks the Level 1 grammar and
 *   drops keys such as `foo@`); a header with any invalid member, or with more
 *   than 32 members, is dropped whole (core drops single members and cuts to 32).
 * - The random flag (Level 2, "Random Trace ID Flag", `trace-flags` bit 0x02): an
 *   incoming trace marked random stays marked on every outgoing `traceparent`
 *   of that trace (the SDK's spans carry only the sampled bit).
 *
 * `traceparent` itself is parsed by core, which already follows the spec:
 * versions, `ff`, future versions with extra fields, whitespace, all-zero ids.
 * Duplicated headers: Node joins them with ", ", which makes a `traceparent`
 * invalid (a new trace starts) and merges `tracestate` headers in order.
 */
import {
  createContextKey,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  type TraceState,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

const TRACE_STATE_HEADER = 'tracestate';
/** `trace-flags` bit of a trace id whose right 7 bytes are random (Level 2). */
export const RANDOM_TRACE_FLAG = 0x02;
/** At most this many list-members in a `tracestate`. */
export const MAX_TRACE_STATE_MEMBERS = 32;

const KEY = /^[0-9a-z][_0-9a-z\-*/@]{0,255}$/;
// 0 to 255 printable characters but ',' and '=', the last one not a space.
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
// OWS "," OWS: spaces and tabs around each comma.
const LIST_SEPARATOR = /[ \t]*,[ \t]*/;

/** A `tracestate` whose members were checked with the Level 2 grammar; the newest member first. */
export class W3CTraceState implements TraceState {
  readonly #members: ReadonlyMap<string, string>;

  constructor(members: ReadonlyMap<string, string> = new Map()) {
    this.#members = members;
  }

  get(key: string): string | undefined {
    return this.#members.get(key);
  }

  /** A member that breaks the grammar is refused: the state stays as it was. */
  set(key: string, value: string): W3CTraceState {
    if (!KEY.test(key) || !VALUE.test(value)) return this;
    // A vendor's updated member moves to the front ("Mutating the tracestate Field").
    const members = new Map([[key, value]]);
    for (const [k, v] of this.#members) if (k !== key) members.set(k, v);
    return new W3CTraceState(members);
  }

  unset(key: string): W3CTraceState {
    const members = new Map(this.#members);
    members.delete(key);
    return new W3CTraceState(members);
  }

  serialize(): string {
    return [...this.#members].map(([key, value]) => `${key}=${value}`).join(',');
  }
}

/**
 * The `tracestate` header (or headers, in order) as a checked state, or
 * undefined when there is none to pass on: no header, only empty members,
 * more than 32 members, or any member that breaks the grammar (then the whole
 * header is dropped). A key that comes twice keeps its first value.
 */
export function parseTraceState(header: string | string[] | undefined): W3CTraceState | undefined {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (text === undefined) return undefined;
  const members = new Map<string, string>();
  let count = 0;
  for (const member of text.replace(/^[ \t]+|[ \t]+$/g, '').split(LIST_SEPARATOR)) {
    // Empty list-members are allowed and carry nothing.
    if (member === '') continue;
    count += 1;
    const eq = member.indexOf('=');
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (eq < 0 || !KEY.test(key) || !VALUE.test(value) || count > MAX_TRACE_STATE_MEMBERS) return undefined;
    if (!members.has(key)) members.set(key, value);
  }
  return members.size === 0 ? undefined : new W3CTraceState(members);
}

/** Holds the id of the extracted trace whose `trace-flags` had the random bit. */
const RANDOM_TRACE = createContextKey('w3c trace-context random trace id');

/** The W3C `traceparent` + `tracestate` propagator, Level 2 (see the file's header). */
export class W3CTraceContextLevel2Propagator implements TextMapPropagator {
  readonly #core = new W3CTraceContextPropagator();

  fields(): string[] {
    return this.#core.fields();
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const extracted = this.#core.extract(context, carrier, getter);
    const parent = trace.getSpanContext(extracted);
    if (extracted === context || parent === undefined) return context;
    // Core's own reading of tracestate is replaced, not amended.
    const traceState = parseTraceState(getter.get(carrier, TRACE_STATE_HEADER));
    const { traceId, spanId, traceFlags } = parent;
    const remote = { traceId, spanId, traceFlags, isRemote: true };
    const withState = trace.setSpanContext(
      context,
      traceState === undefined ? remote : { ...remote, traceState },
    );
    return parent.traceFlags & RANDOM_TRACE_FLAG
      ? withState.setValue(RANDOM_TRACE, parent.traceId)
      : withState;
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const span = trace.getSpanContext(context);
    const random = span !== undefined && context.getValue(RANDOM_TRACE) === span.traceId;
    this.#core.inject(
      random
        ? trace.setSpanContext(context, { ...span, traceFlags: span.traceFlags | RANDOM_TRACE_FLAG })
        : context,
      carrier,
      setter,
    );
  }
}
