/**
 * Pure URL helpers for the tracing setup, kept apart from src/tracing.ts so the
 * unit tests can import them without starting an SDK.
 */

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
