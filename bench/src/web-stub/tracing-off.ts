/**
 * Stands in for web/src/tracing.ts in the benchmark's untraced build of the
 * page (see browser-cost.ts): the same exports, backed by the OpenTelemetry
 * API's no-op tracer and an already resolved `tracingReady`, so the app runs
 * unchanged with no SDK chunk at all: no zone.js, no instrumentation, no
 * exporter, not even the lazy import() of tracing-sdk.ts. If web/src/tracing.ts
 * gains an export, the untraced build fails to bundle and says which.
 */
import { trace } from '@opentelemetry/api';

export const tracingReady: Promise<void> = Promise.resolve();

export const tracer = trace.getTracer('web');
