/**
 * Reads the trace context the API returns in `Server-Timing`, in the form of
 * the W3C Trace Context Level 2 editor's draft:
 *   Server-Timing: trace;desc="00-<trace-id>-<span-id>-<flags>"
 * The header may hold other metrics too (`db;dur=53, trace;desc=...`).
 * Returns undefined when there is no valid `trace` entry: the page must work
 * with an API that does not send one.
 */
export function traceIdFromServerTiming(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  for (const metric of header.split(',')) {
    const [name, ...params] = metric.split(';').map((part) => part.trim());
    if (name !== 'trace') continue;
    for (const param of params) {
      const match = /^desc\s*=\s*"?00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}"?$/.exec(param);
      if (match && !/^0+$/.test(match[1]!)) return match[1];
    }
  }
  return undefined;
}
