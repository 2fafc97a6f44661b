/**
 * Checks the JSON of the API's `GET /traces` against its contract, with the
 * very TypeBox schema the API answers with (@tracing-demo/contracts), before
 * the page lists it: a mismatch is a ContractError naming the field. Only
 * the lazily loaded trace list imports it. Unit-tested in
 * test/trace-list/trace-list-parse.test.ts.
 */
import { checked, ContractError, TraceListSchema, type TraceList } from '@tracing-demo/contracts';

export { ContractError };

/**
 * The body of a 200 `GET /traces`, checked. Also refuses a trace listed
 * twice and, when a service was asked for, a list that is not that
 * service's: both would mean the API answered another question.
 */
export function parseTraceList(body: unknown, service?: string): TraceList {
  const list = checked(TraceListSchema, body, 'The trace list');
  const seen = new Set<string>();
  for (const [index, trace] of list.traces.entries()) {
    if (seen.has(trace.traceId))
      throw new ContractError(
        'The trace list',
        `traces[${index}] lists trace ${trace.traceId} a second time`,
      );
    seen.add(trace.traceId);
    if (service !== undefined && service !== '' && !trace.services.includes(service))
      throw new ContractError(
        'The trace list',
        `traces[${index}] has no span of service "${service}", which the list was asked for`,
      );
  }
  return list;
}
