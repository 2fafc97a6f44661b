import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  StackStatusSchema,
  type JaegerUiKind,
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
  /** Jaeger's UI root (stack config `jaeger.uiUrl`): does it serve the Jaeger UI? Unknown when not given. */
  jaegerUiUrl?: string;
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
 * Marks of the two pages Jaeger's query service may serve at its UI root: the
 * Jaeger UI's index.html mounts the app on this element; a binary built
 * without the UI assets (the Go-built one of the native path) serves a
 * placeholder with this sentence instead.
 */
const REAL_UI_MARK = 'id="jaeger-ui-root"';
const PLACEHOLDER_MARK = 'not the Jaeger UI you are looking for';

/**
 * What Jaeger serves at `uiUrl`: the real UI, its placeholder page, or
 * `unknown` (no 2xx answer in time, or neither page). Read from the page
 * itself, never guessed from how the stack was started. Never throws.
 */
export async function jaegerUiKind(uiUrl: string, fetchImpl: typeof fetch): Promise<JaegerUiKind> {
  try {
    const url = `${uiUrl.replace(/\/+$/, '')}/`;
    const response = await untraced(() => fetchImpl(url, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) }));
    const page = await response.text();
    if (!response.ok) return 'unknown';
    if (page.includes(PLACEHOLDER_MARK)) return 'placeholder';
    return page.includes(REAL_UI_MARK) ? 'real' : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * `GET /status`: can the telemetry path and the inventory be reached, and
 * does Jaeger serve its UI (the page links there only if so)? Always 200;
 * the checks run in parallel, so it answers within about a second even when
 * everything is down. Not traced: its path is one of UNTRACED_API_PATHS
 * (stack/src/config.ts), and `otel: false` turns @fastify/otel off for it.
 */
const statusRoutes: FastifyPluginAsyncTypebox<StatusRoutesOptions> = async (app, options) => {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  app.get(
    '/status',
    { config: { otel: false }, schema: { response: { 200: StackStatusSchema } } },
    async (): Promise<StackStatusView> => {
      const [collector, jaeger, inventory, jaegerUi] = await Promise.all([
        check(options.collectorHealthUrl, fetchImpl),
        check(options.jaegerHealthUrl, fetchImpl),
        check(options.inventoryHealthUrl, fetchImpl),
        options.jaegerUiUrl === undefined
          ? ('unknown' as const)
          : jaegerUiKind(options.jaegerUiUrl, fetchImpl),
      ]);
      return {
        collector,
        jaeger,
        inventory,
        sampling: options.sampling ?? { topology: 'single' },
        jaegerUi,
      };
    },
  );
};

export default statusRoutes;
