/**
 * The page's OpenTelemetry SDK, in a chunk of its own: tracing.ts imports it
 * lazily, as the page starts, and calls startTracing() when it arrives. Until
 * then the app runs with the OpenTelemetry API's no-op defaults, and
 * runUserAction waits for `tracingReady` before it starts a span or a request.
 *
 * Nothing here runs before the app: React has rendered (or is rendering) when
 * zone.js patches the globals, so what React registered before runs outside
 * any zone. That is fine: user actions never rely on the ambient context (see
 * user-action.ts), they pass theirs explicitly.
 */
import { ZoneContextManager } from '@opentelemetry/context-zone';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, WebTracerProvider } from '@opentelemetry/sdk-trace-web';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import {
  createDefaultSessionIdGenerator,
  createSessionManager,
  createSessionSpanProcessor,
} from '@opentelemetry/web-common';
import { appConfig } from '../config';
import { OpenSpanTracker } from './open-spans';
import {
  SESSION_INACTIVITY_SECONDS,
  SESSION_MAX_DURATION_SECONDS,
  SessionActivityProcessor,
  TabSessionStore,
} from './session';
import { publishSessionId } from './session-id';
import { exceptionAttributes, recordUncaught, UserActionSpans } from './uncaught-errors';
import { pageParentContext } from './page-trace-context';
import { routeChangeSpan } from './route-change';
import { UntracedUrlFilter } from './tracing-filter';
import { originRegExp, untracedUrls } from './tracing-urls';

// No diag logger is installed on purpose: the OTel diag logger is silent by
// default, so an unreachable Collector (export errors, retries) never writes to
// the console nor throws. Failed exports are dropped; the page keeps working.
// While debugging, add: diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.DEBUG)

/** The tab's sessionStorage, or a store that lasts as long as the page where it is refused. */
function tabStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  try {
    return window.sessionStorage;
  } catch {
    const memory = new Map<string, string>();
    return {
      getItem: (key) => memory.get(key) ?? null,
      setItem: (key, value) => void memory.set(key, value),
    };
  }
}

/**
 * Restores or starts the session, then registers the provider, zone.js, the
 * instrumentations and the pagehide flush. Called once, by tracing.ts.
 */
export async function startTracing(): Promise<void> {
  const sessionStore = new TabSessionStore(tabStorage());
  const sessions = createSessionManager({
    sessionIdGenerator: createDefaultSessionIdGenerator(),
    sessionStore,
    inactivityTimeout: SESSION_INACTIVITY_SECONDS,
    maxDuration: SESSION_MAX_DURATION_SECONDS,
  });
  sessions.addObserver({
    onSessionStarted: (session) => publishSessionId(session.id),
    onSessionEnded: () => {},
  });
  // Before any span: a span started earlier would make the manager start a new session.
  await sessions.start();
  const sessionId = sessions.getSessionId();
  if (sessionId !== null) publishSessionId(sessionId);

  // The span export itself and the API's untraced helper routes (/status,
  // /traces/:traceId): see tracing-urls.ts.
  const untraced = untracedUrls(appConfig);
  const exporter = new OTLPTraceExporter({ url: appConfig.otlpTracesUrl });
  const openSpans = new OpenSpanTracker();
  const userActions = new UserActionSpans();

  const provider = new WebTracerProvider({
    // telemetry.sdk.* from the default resource, service.name from the stack config.
    resource: defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: appConfig.serviceName })),
    spanProcessors: [
      // First: a span it ends at pagehide must reach the batch processor's onEnd.
      openSpans,
      userActions,
      // session.id on every span (web-common), then session.previous_id and the activity time.
      createSessionSpanProcessor(sessions),
      new SessionActivityProcessor(sessionStore, () => sessions.getSessionId()),
      // The document-load instrumentation cannot be told to ignore URLs: its
      // spans of untraced URLs are dropped here (see tracing-filter.ts).
      new UntracedUrlFilter(
        new BatchSpanProcessor(exporter, {
          // Export 200 ms after the first span queues instead of the default 5 s,
          // so a click's spans reach Jaeger well under a second later: users
          // opening the trace link and end-to-end tests do not wait 5 s. A page
          // makes few spans, so the extra requests cost nothing.
          scheduledDelayMillis: 200,
          // Bounded memory when the Collector is down: spans beyond this are dropped.
          maxQueueSize: 512,
          maxExportBatchSize: 128,
          exportTimeoutMillis: 10_000,
        }),
        untraced,
      ),
    ],
  });

  provider.register({
    // zone.js carries the active span through callbacks, timers and events; not
    // through native async/await (see user-action.ts for how actions cope).
    contextManager: new ZoneContextManager(),
    propagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  });

  const pageTracer = provider.getTracer(appConfig.serviceName);
  // A span of the page's own starts its own trace, or continues the one the page was handed.
  const pageParent = () => pageParentContext(document);

  // Uncaught errors as exception events, on the user action in flight or a span of their own.
  // (Rejections of zone.js's own Promise reach only the console: it replaces the global Promise.)
  const uncaught = { actions: userActions, tracer: pageTracer, parent: pageParent };
  addEventListener('error', (event) => {
    recordUncaught(uncaught, exceptionAttributes(event.error, 'error', event.message));
  });
  addEventListener('unhandledrejection', (event) => {
    recordUncaught(uncaught, exceptionAttributes(event.reason, 'unhandledrejection'));
  });

  // Each route change is a span of its own; user actions never take it as parent (user-action.ts).
  addEventListener('hashchange', (event) => {
    const change = routeChangeSpan(event.oldURL, event.newURL);
    if (change !== undefined)
      pageTracer.startSpan(change.name, { attributes: change.attributes }, pageParent()).end();
  });

  registerInstrumentations({
    instrumentations: [
      // The page's own load, as the trace `documentLoad` (documentFetch and one
      // resourceFetch span per script, style sheet or request of the page). It
      // reads the Navigation and Resource Timing entries the browser keeps, so
      // registered after the load event (as here, usually) it records the same
      // load: it then collects at once instead of waiting for `load`. (A request
      // that completes before it collects clears the resource entries, see
      // clearTimingResources below: only a click in the page's first moments can.)
      new DocumentLoadInstrumentation(),
      // Client spans for fetch(). Since instrumentation-fetch 0.2xx the spans carry
      // only the stable HTTP semantic conventions (http.request.method, url.full,
      // http.response.status_code, server.address, server.port): the old
      // `semconvStabilityOptIn` option is gone, there is nothing to opt into.
      new FetchInstrumentation({
        // traceparent goes cross-origin to the API origin only (exact match, see
        // tracing-urls.ts); other hosts get neither the header nor a preflight.
        propagateTraceHeaderCorsUrls: [originRegExp(appConfig.apiUrl)],
        // Drop resource timing entries once matched, so they do not pile up.
        clearTimingResources: true,
        // No span and no traceparent for these. The exporter bypasses the
        // instrumentation already; listing its URL is the belt to those braces:
        // never trace the span export itself (export → span → export). The
        // API's helper routes are untraced on both sides (tracing-urls.ts).
        ignoreUrls: untraced,
      }),
    ],
  });

  // The batch processor flushes when the page is hidden; on pagehide
  // (navigation, tab close, bfcache) also end the spans still open, such as the
  // fetch span of a request answered just before (the fetch instrumentation ends
  // it ~300 ms after the response; see open-spans.ts), then flush the whole
  // provider, so they are sent with a keepalive request instead of being lost
  // with the page. Errors are dropped like any export failure: nothing to report
  // to a page that is going away.
  addEventListener('pagehide', () => {
    openSpans.endOpenSpans();
    sessionStore.touch(true);
    provider.forceFlush().catch(() => {});
  });
}
