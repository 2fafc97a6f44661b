import type { ApiResponse } from './api/api';
import { ApiNetworkError } from './api/api';
import { describeHttpError } from './api/messages';
import { UserActionError } from './user-action';

/** What the result panel shows for the last action. */
export type Outcome =
  | {
      kind: 'response';
      action: string;
      response: ApiResponse;
      /** describeHttpError() of a non-2xx response. */
      error: string | undefined;
      traceId: string;
    }
  | { kind: 'failure'; action: string; error: string; traceId: string | undefined };

export function responseOutcome(action: string, response: ApiResponse, traceId: string): Outcome {
  const error = response.ok
    ? undefined
    : describeHttpError(response.status, response.body, response.statusText);
  return { kind: 'response', action, response, error, traceId };
}

/** Turns whatever an action threw into a message for the page (never a console error). */
export function failureOutcome(action: string, thrown: unknown): Outcome {
  const traceId = thrown instanceof UserActionError ? thrown.traceId : undefined;
  const cause = thrown instanceof UserActionError ? thrown.cause : thrown;
  let error: string;
  if (cause instanceof ApiNetworkError) error = cause.message;
  else if (cause instanceof DOMException && cause.name === 'AbortError') error = 'The request was cancelled.';
  else error = `Unexpected error: ${cause instanceof Error ? cause.message : String(cause)}`;
  return { kind: 'failure', action, error, traceId };
}
