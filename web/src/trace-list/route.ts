/**
 * Which view the page shows, from the URL's fragment: the actions (`#/` or
 * none) or the trace list (`#/traces`), with one trace opened
 * (`#/traces/<trace id>`). A fragment, so the same page serves every view
 * whatever the web server (Vite, nginx) does with paths, and Back works.
 * Pure: unit-tested in test/trace-list/route.test.ts.
 */

export type PageRoute = { view: 'actions' } | { view: 'traces'; traceId: string | null };

const TRACES = '#/traces';

/** The route of `hash` (`location.hash`). An id that is not a trace id is kept: the trace panel says so. */
export function parseRoute(hash: string): PageRoute {
  if (hash === TRACES || hash === `${TRACES}/`) return { view: 'traces', traceId: null };
  if (!hash.startsWith(`${TRACES}/`)) return { view: 'actions' };
  const segment = hash.slice(TRACES.length + 1).split('/')[0]!;
  let traceId: string;
  try {
    traceId = decodeURIComponent(segment);
  } catch {
    traceId = segment;
  }
  return { view: 'traces', traceId: traceId === '' ? null : traceId };
}

/** The link to the trace list, with `traceId` opened when given. */
export function traceListHref(traceId?: string): string {
  return traceId === undefined ? TRACES : `${TRACES}/${encodeURIComponent(traceId)}`;
}

/** The link to the actions view. */
export const ACTIONS_HREF = '#/';
