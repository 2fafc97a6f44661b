/**
 * OpenTelemetry for the page, the part loaded before the app runs: a few
 * hundred bytes on top of the OpenTelemetry API the app uses anyway.
 *
 * Imported first by main.tsx, it starts loading the SDK at once, as its own
 * chunk (tracing-sdk.ts: the provider, zone.js, the OTLP exporter, the fetch
 * and document-load instrumentations), without holding back React's first
 * render. Until that chunk has arrived and registered, the OpenTelemetry API
 * is a no-op, so anything that makes spans or traced requests awaits
 * `tracingReady` first: runUserAction does (see user-action.ts). Requests made
 * without waiting, before it, are simply not traced.
 *
 * It and user-action.ts stay at the top of web/src, while the SDK and its
 * helpers live in telemetry/: the benchmark's untraced build replaces the
 * import './tracing' of those two modules with a stub (bench/src/browser-cost.ts),
 * and eslint.config.js refuses an import of it from a subfolder.
 */
import { trace } from '@opentelemetry/api';
import { appConfig } from './config';
import { loadTracing } from './telemetry/tracing-load';

/**
 * Resolves once the SDK is registered and fetch() is instrumented, or when it
 * could not be loaded (the page then works untraced), or after 5 s: never
 * rejects. 5 s is long enough for any connection that delivered the page's
 * main script to deliver the SDK too (less than half its size), and short
 * enough that a stalled request leaves the page usable.
 */
export const tracingReady: Promise<void> = loadTracing(() => import('./telemetry/tracing-sdk'), {
  timeoutMs: 5_000,
  // The only console output of tracing (the SDK's diag logger stays silent, see
  // tracing-sdk.ts): once, when the page runs untraced.
  warn: (message, cause) => console.warn(message, ...(cause === undefined ? [] : [cause])),
});

/**
 * The tracer of the page's own spans (user actions). A ProxyTracer until the
 * SDK registers its provider, then it delegates to the SDK's tracer; spans it
 * starts before that are no-ops, hence `tracingReady`.
 */
export const tracer = trace.getTracer(appConfig.serviceName);
