/**
 * Reads the trace context the API returns in `Server-Timing`, in the form of
 * the W3C Trace Context Level 2 editor's draft:
 *   Server-Timing: trace;desc="00-<trace-id>-<span-id>-<flags>"
 * The header may hold other metrics too (`db;dur=53, trace;desc=...`).
 */

/** The trace the API served the request in, and the span it answered under (its SERVER span). */
export interface ServerTraceContext {
  traceId: string;
  spanId: string;
}

/**
 * The `trace` entry of a Server-Timing header, or undefined when there is no
 * valid one: the page must work with an API that does not send one.
 */
export function traceContextFromServerTiming(
  header: string | null | undefined,
): ServerTraceContext | undefined {
  if (!header) return undefined;
  for (const metric of header.split(',')) {
    const [name, ...params] = metric.split(';').map((part) => part.trim());
    if (name !== 'trace') continue;
    for (const param of params) {
      const match = /^desc\s*=\s*"?00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}"?$/.exec(param);
      if (match && !/^0+$/.test(match[1]!) && !/^0+$/.test(match[2]!)) {
        return { traceId: match[1]!, spanId: match[2]! };
      }
    }
  }
  return undefined;
}

/** The trace id of {@link traceContextFromServerTiming}. */
export function traceIdFromServerTiming(header: string | null | undefined): string | undefined {
  return traceContextFromServerTiming(header)?.traceId;
}
