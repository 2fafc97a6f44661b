/**
 * The set-up most tutorials show, for the benchmark to compare with the
 * services' own src/tracing.ts: NodeSDK with every auto-instrumentation, its
 * exporter and the rest from the same OTEL_* variables the supervisor sets.
 * Preloaded into a copy of the API (and of the inventory it calls) instead of
 * their tracing.ts; the services' shutdown flushes it like theirs.
 */
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { NodeSDK } from '@opentelemetry/sdk-node';

const sdk = new NodeSDK({ instrumentations: [getNodeAutoInstrumentations()] });
sdk.start();
