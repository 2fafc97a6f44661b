/**
 * Pure URL helpers for the tracing setup, kept apart from tracing-sdk.ts so
 * the unit tests can import them without starting an SDK.
 */
import { UNTRACED_API_PATHS } from '@tracing-demo/stack';
import { apiUrl } from '../api/paths';

/** Escapes every character that has a meaning in a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * A RegExp that matches the origin of `url` and every URL under it, and
 * nothing else. The fetch instrumentation sends `traceparent` to cross-origin
 * URLs matching `propagateTraceHeaderCorsUrls`; a loose pattern would leak
 * trace headers to other hosts (or make CORS preflights fail there).
 *
 * The origin is followed by the end of the string or by `/`, `?` or `#`, so
 * `http://127.0.0.1:3000` does not match `http://127.0.0.1:30000` or
 * `http://127.0.0.1:3000.evil.com`. The origin is normalised by `URL` (lower
 * case host, default port dropped), as the instrumentation normalises the
 * URLs it tests.
 */
export function originRegExp(url: string): RegExp {
  const { origin } = new URL(url);
  if (origin === 'null') throw new Error(`"${url}" has no origin (http: or https: URL expected).`);
  return new RegExp(`^${escapeRegExp(origin)}(?:[/?#]|$)`);
}

/**
 * A RegExp that matches exactly `url` (normalised by `URL`), with or without a
 * query string or fragment: used to keep the exporter's own requests out of
 * the fetch instrumentation.
 */
export function exactUrlRegExp(url: string): RegExp {
  return new RegExp(`^${escapeRegExp(new URL(url).href)}(?:[?#]|$)`);
}

/**
 * A RegExp that matches the URLs exactly one path segment under `url` (which
 * is normalised by `URL`, a trailing slash ignored), with or without a query
 * string or fragment: `http://api/traces` gives a RegExp matching
 * `http://api/traces/4bf92f35…` but not `http://api/traces`, `…/traces/`,
 * `…/traces/a/b` nor `http://api/tracesX/a`. Used to keep the API's untraced
 * `GET /traces/:traceId` route out of the fetch instrumentation.
 */
export function childUrlRegExp(url: string): RegExp {
  const parent = new URL(url);
  if (parent.search !== '' || parent.hash !== '')
    throw new Error(`"${url}": a query or fragment cannot have path segments under it.`);
  const base = parent.href.replace(/\/+$/, '');
  return new RegExp(`^${escapeRegExp(base)}\\/[^/?#]+(?:[?#]|$)`);
}

/** Where the page sends its spans, and the API its helper routes are resolved against. */
export interface UntracedUrlsConfig {
  apiUrl: string;
  otlpTracesUrl: string;
}

/**
 * The requests the page must never trace (no CLIENT span, no `traceparent`),
 * each matched exactly:
 *
 * - the span export itself (export → span → export);
 * - the API's helper routes `GET /status`, `GET /traces/:traceId` and
 *   `GET /traces`, which the API leaves untraced too: the page polls them to
 *   show the stack's state, the trace of a click and the recent traces, and
 *   tracing them would make every look at a trace produce new traces (a
 *   feedback loop).
 *
 * Everything else stays traced, near misses included (`/statuses`, `/tracesX`,
 * `/traces/a/b`, another port or host).
 */
export function untracedUrls(config: UntracedUrlsConfig): RegExp[] {
  return [
    exactUrlRegExp(config.otlpTracesUrl),
    // The API's list (stack/src/config.ts): a path ending in `/` is a prefix.
    ...UNTRACED_API_PATHS.map((path) =>
      path.endsWith('/')
        ? childUrlRegExp(apiUrl(config.apiUrl, path.slice(0, -1)).href)
        : exactUrlRegExp(apiUrl(config.apiUrl, path).href),
    ),
  ];
}
