/**
 * Stands in for web/src/tracing.ts in the benchmark's untraced build of the
 * page (see browser-cost.ts): the same exports, backed by the OpenTelemetry
 * API's no-op tracer, so the app runs unchanged with no SDK, no zone.js, no
 * instrumentation and no exporter. If web/src/tracing.ts gains an export,
 * the untraced build fails to bundle and says which.
 */
import { trace } from '@opentelemetry/api';

export const tracer = trace.getTracer('web');
