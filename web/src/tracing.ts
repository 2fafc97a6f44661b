/**
 * OpenTelemetry for the page. Imported first by main.tsx: it must register the
 * provider, the zone.js context manager and the fetch instrumentation before
 * React or any other code calls fetch().
 */
import { trace } from '@opentelemetry/api';
import { ZoneContextManager } from '@opentelemetry/context-zone';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, WebTracerProvider } from '@opentelemetry/sdk-trace-web';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { appConfig } from './config';
import { OpenSpanTracker } from './open-spans';
import { exactUrlRegExp, originRegExp } from './tracing-urls';

// No diag logger is installed on purpose: the OTel diag logger is silent by
// default, so an unreachable Collector (export errors, retries) never writes to
// the console nor throws. Failed exports are dropped; the page keeps working.
// While debugging, add: diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.DEBUG)

const exporter = new OTLPTraceExporter({ url: appConfig.otlpTracesUrl });
const openSpans = new OpenSpanTracker();

export const provider = new WebTracerProvider({
  // telemetry.sdk.* from the default resource, service.name from the stack config.
  resource: defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: appConfig.serviceName })),
  spanProcessors: [
    // First: a span it ends at pagehide must reach the batch processor's onEnd.
    openSpans,
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

registerInstrumentations({
  instrumentations: [
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
      // The exporter bypasses the instrumentation already; this is the belt to
      // those braces: never trace the span export itself (export → span → export).
      ignoreUrls: [exactUrlRegExp(appConfig.otlpTracesUrl)],
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
  provider.forceFlush().catch(() => {});
});

/** The tracer of the page's own spans (user actions). */
export const tracer = trace.getTracer(appConfig.serviceName);
