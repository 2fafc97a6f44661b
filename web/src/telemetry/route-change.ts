/**
 * A route change of the page (its URL fragment: `#/` ↔ `#/traces`, links and
 * Back alike) as a span of its own. The semantic conventions define no span
 * for single-page-app navigations; the attributes use the project's prefix.
 * Pure: unit-tested in test/telemetry/route-change.test.ts.
 */
import type { Attributes } from '@opentelemetry/api';

export const ATTR_ROUTE_FROM = 'app.route.from';
export const ATTR_ROUTE_TO = 'app.route.to';
export const ROUTE_CHANGE_SPAN_PREFIX = 'route_change';

/** The route of a URL: its fragment, `#/` when it has none. */
export function routeOf(url: string): string {
  const hash = url.indexOf('#');
  const fragment = hash < 0 ? '' : url.slice(hash);
  return fragment === '' || fragment === '#' ? '#/' : fragment;
}

/** The span of a `hashchange` from `oldURL` to `newURL`, or undefined when the route is the same. */
export function routeChangeSpan(
  oldURL: string,
  newURL: string,
): { name: string; attributes: Attributes } | undefined {
  const from = routeOf(oldURL);
  const to = routeOf(newURL);
  if (from === to) return undefined;
  return {
    name: `${ROUTE_CHANGE_SPAN_PREFIX} ${to}`,
    attributes: { [ATTR_ROUTE_FROM]: from, [ATTR_ROUTE_TO]: to, 'url.full': newURL },
  };
}
