/**
 * Which incoming requests a Node service does not trace at all: no SERVER
 * span, and no span for anything done while answering them (server-spans.ts
 * runs an ignored request in a context with tracing suppressed, so outgoing
 * calls make no CLIENT span and send no traceparent).
 *
 * Every service ignores the health path (stack/src/config.ts HEALTH_PATH);
 * a service adds its own untraced paths (the API: its trace viewer and
 * status routes).
 */
import type { IncomingMessage } from 'node:http';
import { isHealthPath } from '@tracing-demo/stack';

/** Whether a path (query string allowed) is untraced: the health path, or one of `isUntracedPath`. */
export function untracedPathFilter(
  isUntracedPath: (path: string) => boolean = () => false,
): (path: string) => boolean {
  return (path) => isHealthPath(path) || isUntracedPath(path);
}

/**
 * For server-spans.ts's `isIgnored`: untraced paths, and
 * every CORS preflight (browsers never send custom headers such as
 * traceparent on OPTIONS, so it would only add a disconnected one-span trace).
 */
export function ignoreIncomingRequest(
  isUntraced: (path: string) => boolean,
): (request: IncomingMessage) => boolean {
  return (request) => request.method === 'OPTIONS' || isUntraced(request.url ?? '');
}
