import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  StackStatusSchema,
  type ReachabilityView,
  type SamplingView,
  type StackStatusView,
} from '@tracing-demo/contracts';
import { untraced } from '../untraced.ts';

export interface StatusRoutesOptions {
  /** The Collector's health_check extension (stack config `collector.healthUrl`). */
  collectorHealthUrl: string;
  /** Jaeger's health endpoint (stack config `jaeger.healthUrl`). */
  jaegerHealthUrl: string;
  /** The inventory service's health endpoint. */
  inventoryHealthUrl: string;
  /** Whether traces are tail-sampled (the gateway topology): the page says so. Default: every trace is kept. */
  sampling?: SamplingView;
  /** For tests; default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/** How long each health check may take. */
export const HEALTH_TIMEOUT_MS = 1000;

/** Reachable means a 2xx answer within {@link HEALTH_TIMEOUT_MS}; never throws. */
async function check(url: string, fetchImpl: typeof fetch): Promise<ReachabilityView> {
  try {
    const response = await untraced(() => fetchImpl(url, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) }));
    // Read (and drop) the body so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    return { reachable: response.ok, url };
  } catch {
    return { reachable: false, url };
  }
}

/**
 * `GET /status`: can the telemetry path and the inventory be reached? Always
 * 200; the three health checks run in parallel, so it answers within about a
 * second even when everything is down. Not traced: its path is one of
 * UNTRACED_API_PATHS (stack/src/config.ts), which the tracing preload ignores.
 */
const statusRoutes: FastifyPluginAsyncTypebox<StatusRoutesOptions> = async (app, options) => {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  app.get(
    '/status',
    { schema: { response: { 200: StackStatusSchema } } },
    async (): Promise<StackStatusView> => {
      const [collector, jaeger, inventory] = await Promise.all([
        check(options.collectorHealthUrl, fetchImpl),
        check(options.jaegerHealthUrl, fetchImpl),
        check(options.inventoryHealthUrl, fetchImpl),
      ]);
      return { collector, jaeger, inventory, sampling: options.sampling ?? { topology: 'single' } };
    },
  );
};

export default statusRoutes;
