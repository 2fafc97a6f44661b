/**
 * The last step of a service's shutdown (run-service.ts), after Fastify has
 * closed: what `sdk.shutdown()` does, reached through @opentelemetry/api's
 * global providers, which NodeSDK's `start()` registered. So the tracing
 * preload (each service's src/tracing.ts) stays the standard one, with no
 * hook of this project, and a service started without it (untraced) has
 * nothing to flush. Flushing before Fastify has closed would lose the spans
 * of the requests still in flight.
 */
import { metrics, trace, type MeterProvider, type TracerProvider } from '@opentelemetry/api';
import { logs, type LoggerProvider } from '@opentelemetry/api-logs';

type Provider = TracerProvider | MeterProvider | LoggerProvider;

/** The SDK's providers have `shutdown()`; the API's no-op ones do not. */
function canShutDown(provider: Provider): provider is Provider & { shutdown(): Promise<void> } {
  return typeof (provider as { shutdown?: unknown }).shutdown === 'function';
}

/** The registered provider behind the API's proxy, if any (the API hands out a proxy for traces and logs). */
function delegate(provider: Provider): Provider {
  const proxy = provider as { getDelegate?: () => Provider };
  return typeof proxy.getDelegate === 'function' ? proxy.getDelegate() : provider;
}

/**
 * Shuts down the tracer, meter and logger providers registered with the
 * OpenTelemetry API: every ended span (and metric, log record) is exported
 * first. Never rejects: a telemetry failure must not stop the service's exit.
 */
export async function shutdownTelemetry(): Promise<void> {
  const providers = [trace.getTracerProvider(), metrics.getMeterProvider(), logs.getLoggerProvider()]
    .map(delegate)
    .filter(canShutDown);
  await Promise.allSettled(providers.map((provider) => provider.shutdown()));
}
