/**
 * Checks the JSON of the API's `GET /traces/:traceId` and `GET /status`
 * against their contract before the page draws it, with the very TypeBox
 * schemas the API answers with (@tracing-demo/contracts): a mismatch is a
 * ContractError naming the field, instead of a blank or broken waterfall.
 *
 * Loaded on demand (`import()` in trace-client.ts and status-client.ts):
 * TypeBox's schema builder and validator weigh more than the page's own
 * code, and the first paint does not need them. Import only types from here
 * elsewhere. Unit-tested in test/api/trace-view-parse.test.ts.
 */
import {
  checked,
  ContractError,
  StackStatusSchema,
  TraceViewSchema,
  type StackStatusView,
  type TraceView,
} from '@tracing-demo/contracts';

export { ContractError };

/** What the status strip shows: every part, as the contract has it. */
export type StackStatus = StackStatusView;

/**
 * The body of a 200 `GET /traces/:traceId`, checked. Throws a ContractError
 * naming the first field that does not match (and when the trace id is not
 * the one asked for).
 */
export function parseTraceView(body: unknown, expectedTraceId?: string): TraceView {
  const view = checked(TraceViewSchema, body, 'The trace');
  if (expectedTraceId !== undefined && view.traceId !== expectedTraceId)
    throw new ContractError(
      'The trace',
      `traceId must be the trace asked for (${expectedTraceId}), got "${view.traceId}"`,
    );
  return view;
}

/** The body of a 200 `GET /status`, checked: a ContractError names the first part that does not match. */
export function parseStackStatus(body: unknown): StackStatus {
  return checked(StackStatusSchema, body, 'The status');
}
