/** Pure helpers that build API request URLs. Unit-tested in test/api/paths.test.ts. */

/**
 * Path of GET /items/{id}?q={q}. The id is sent as typed (the API, not the
 * page, validates it: "abc" must come back as a 400), but encoded so it stays
 * one path segment; q is left out when empty.
 */
export function itemPath(id: string, q: string): string {
  const path = `/items/${encodeURIComponent(id)}`;
  return q === '' ? path : `${path}?q=${encodeURIComponent(q)}`;
}

/**
 * Resolves an API path against the API base URL. Like `new URL(path, base)`,
 * but a base with a path prefix (http://host/api) keeps its prefix.
 */
export function apiUrl(base: string, path: string): URL {
  return new URL(path.replace(/^\/+/, ''), base.endsWith('/') ? base : `${base}/`);
}

/** An item that exists (1..100) for the scenarios that need one. */
const SCENARIO_ITEM = '5';

/** An id the API validates (digits) but the inventory does not hold: a 404. */
export const UNKNOWN_ITEM_PATH = itemPath('9999', '');

/** An id the API's validation refuses: a 400 that never reaches the inventory. */
export const INVALID_ID_PATH = itemPath('abc', '');

/** GET /items/5 with the inventory told to wait `delayMs` before answering. */
export function slowItemPath(delayMs: number): string {
  return `${itemPath(SCENARIO_ITEM, '')}?inventory_delay_ms=${encodeURIComponent(String(delayMs))}`;
}

/** GET /items/5 with the inventory told to fail: the API answers 502. */
export const INVENTORY_FAIL_PATH = `${itemPath(SCENARIO_ITEM, '')}?inventory_fail=true`;

/**
 * Path of the API's untraced `GET /traces/:traceId`, which waits up to
 * `waitMs` for the trace to be complete in Jaeger. The id is encoded, so it
 * stays one path segment whatever it holds.
 */
export function tracePath(traceId: string, waitMs: number): string {
  return `/traces/${encodeURIComponent(traceId)}?wait_ms=${Math.max(0, Math.round(waitMs))}`;
}

/** Path of the API's untraced `GET /status`. */
export const STATUS_PATH = '/status';
