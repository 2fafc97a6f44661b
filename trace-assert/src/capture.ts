/**
 * Reading the trace context the web app itself sent, from the browser side.
 *
 * We only ever READ the `traceparent` header the app's OpenTelemetry fetch
 * instrumentation injected. Setting or rewriting it (route/continue with
 * headers) would make the test prove its own header instead of the app's
 * propagation, which is exactly what a trace test must not do.
 */
import type { Page, Request } from '@playwright/test';
import { parseTraceparent } from './traceparent.ts';

/** A URL filter: a string matches when it occurs anywhere in the full URL; a RegExp is tested against the full URL. */
export type UrlMatcher = string | RegExp | ((url: URL) => boolean);

export interface CaptureOptions {
  url: UrlMatcher;
  /**
   * Playwright resource types that count as "the app's own requests".
   * Default `['fetch', 'xhr']`: what the OTel fetch/XHR instrumentations
   * decorate; navigations, scripts and images never carry a traceparent.
   */
  resourceTypes?: readonly string[];
  /**
   * How long to wait after the action for the matching request(s) to show up
   * and for their headers to resolve. Default 5000. Playwright reports
   * requests asynchronously, so a request the click started can be announced
   * just after `click()` resolved.
   */
  timeoutMs?: number;
}

export interface CaptureAllOptions extends CaptureOptions {
  /** Fail unless at least this many matching requests were made. Default 1. */
  atLeast?: number;
}

/** The trace context of one request the app made. */
export interface CapturedTraceContext {
  traceId: string;
  /** The span id in `traceparent`: the browser's fetch/XHR CLIENT span, parent of the API SERVER span. */
  parentSpanId: string;
  sampled: boolean;
  flags: number;
  /** The raw header value. */
  traceparent: string;
  url: string;
  method: string;
  request: Request;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Turns a promise into one that never rejects, so nothing is left unhandled if we bail out early. */
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

function describeUrlMatcher(matcher: UrlMatcher): string {
  if (typeof matcher === 'string') return `containing ${JSON.stringify(matcher)}`;
  if (matcher instanceof RegExp) return `matching ${String(matcher)}`;
  return `accepted by ${matcher.name || 'the URL predicate'}`;
}

/** Whether `url` passes `matcher`; see {@link UrlMatcher}. */
export function urlMatches(url: string, matcher: UrlMatcher): boolean {
  if (typeof matcher === 'string') return url.includes(matcher);
  if (matcher instanceof RegExp)
    return new RegExp(matcher.source, matcher.flags.replace(/[gy]/g, '')).test(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return matcher(parsed);
}

const MISSING_HEADER_HELP =
  'The browser instrumentation (FetchInstrumentation / XMLHttpRequestInstrumentation) only injects ' +
  'trace headers into cross-origin requests whose URL matches propagateTraceHeaderCorsUrls, so the ' +
  "usual cause is that the API's origin is missing from that list in the web app's tracing setup. " +
  "Also check that the API's CORS config allows the `traceparent` request header, and that the " +
  'tracer provider is registered before the app makes its first request.';

interface Collected {
  request: Request;
  header: Settled<string | null>;
}

/**
 * Listens for matching requests while `action` runs, waits (bounded) for at
 * least `atLeast` of them, then awaits every header read that was started.
 */
async function collect(
  page: Page,
  action: () => Promise<unknown>,
  options: CaptureAllOptions,
): Promise<Collected[]> {
  const resourceTypes = options.resourceTypes ?? ['fetch', 'xhr'];
  const timeoutMs = options.timeoutMs ?? 5000;
  const atLeast = options.atLeast ?? 1;
  const matched: { request: Request; header: Promise<Settled<string | null>> }[] = [];
  const others: string[] = [];
  let onMatch: (() => void) | undefined;

  const onRequest = (request: Request): void => {
    if (!resourceTypes.includes(request.resourceType()) || !urlMatches(request.url(), options.url)) {
      others.push(`${request.method()} ${request.url()} (${request.resourceType()})`);
      return;
    }
    // Start reading the header right away; the read is awaited after the action.
    matched.push({ request, header: settle(request.headerValue('traceparent')) });
    onMatch?.();
  };

  page.on('request', onRequest);
  try {
    await action();
    if (matched.length < atLeast) {
      // Playwright may announce a request the action started only after the
      // action resolved: wait for it, but no longer than needed.
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        onMatch = () => {
          if (matched.length >= atLeast) resolve();
        };
        timer = setTimeout(resolve, timeoutMs);
      });
      clearTimeout(timer);
    }
  } finally {
    page.off('request', onRequest);
  }

  if (matched.length < atLeast) {
    const seen =
      others.length === 0
        ? '  (none)'
        : others
            .slice(-10)
            .map((o) => `  ${o}`)
            .join('\n');
    throw new Error(
      `Expected at least ${atLeast} ${resourceTypes.join('/')} request(s) ${describeUrlMatcher(options.url)} ` +
        `during the action, saw ${matched.length} (waited ${timeoutMs} ms after the action).\n` +
        `Other requests the page made:\n${seen}`,
    );
  }

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const headers = await Promise.race([Promise.all(matched.map((m) => m.header)), timedOut]);
  clearTimeout(timer);
  if (headers === 'timeout') {
    throw new Error(
      `Reading the traceparent header of ${matched.length} request(s) took longer than ${timeoutMs} ms`,
    );
  }
  return matched.map((m, i) => ({
    request: m.request,
    header: headers[i] ?? { ok: false, error: 'no result' },
  }));
}

/** Turns one collected request into its trace context, or throws the reason it has none. */
function toContext({ request, header }: Collected): CapturedTraceContext {
  const where = `${request.method()} ${request.url()}`;
  if (!header.ok) throw new Error(`Could not read the headers of ${where}: ${String(header.error)}`);
  if (header.value === null) {
    throw new Error(`${where} was sent without a traceparent header. ${MISSING_HEADER_HELP}`);
  }
  let parsed;
  try {
    parsed = parseTraceparent(header.value);
  } catch (error) {
    throw new Error(`${where} carried an invalid traceparent: ${(error as Error).message}`, { cause: error });
  }
  return {
    traceId: parsed.traceId,
    parentSpanId: parsed.parentSpanId,
    sampled: parsed.sampled,
    flags: parsed.flags,
    traceparent: header.value,
    url: request.url(),
    method: request.method(),
    request,
  };
}

/**
 * Runs `action` and returns the trace context of every request the page itself
 * made (fetch/XHR by default) to a URL matching `options.url` during the
 * action, in the order the requests were made.
 *
 * Headers are read with `request.headerValue('traceparent')` and never
 * modified. All header reads that started are awaited, so a request made at
 * the end of the action is still captured. Throws when fewer than `atLeast`
 * (default 1) matching requests were made, when a matching request carries
 * no `traceparent` (with the CORS / propagateTraceHeaderCorsUrls explanation),
 * or when a header is invalid.
 */
export async function captureAllTraceContexts(
  page: Page,
  action: () => Promise<unknown>,
  options: CaptureAllOptions,
): Promise<CapturedTraceContext[]> {
  return (await collect(page, action, options)).map(toContext);
}

/**
 * Runs `action` and returns the trace context of the FIRST request the page
 * itself made to a URL matching `options.url` during the action, e.g.
 *
 * ```ts
 * const ctx = await captureTraceContext(page, () => page.getByRole('button').click(), { url: '/api/items/' });
 * ```
 *
 * Same rules as {@link captureAllTraceContexts}, except that later matching
 * requests do not matter (their headers are still awaited, never judged).
 */
export async function captureTraceContext(
  page: Page,
  action: () => Promise<unknown>,
  options: CaptureOptions,
): Promise<CapturedTraceContext> {
  const [first] = await collect(page, action, { ...options, atLeast: 1 });
  if (first === undefined) throw new Error('unreachable: collect() guarantees at least one request');
  return toContext(first);
}
