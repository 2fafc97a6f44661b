import type { SamplingView } from '@tracing-demo/contracts';
import { HEALTH_PATH, loadStackConfig, type StackConfig } from '@tracing-demo/stack';

/** What the API needs from the stack configuration (see stack/src/config.ts). */
export interface ApiConfig {
  host: string;
  port: number;
  /** Exact browser origins allowed to call the API (and to send traceparent). */
  allowedOrigins: string[];
  inventory: { url: string; timeoutMs: number };
  /** Jaeger's query API, read by the untraced GET /traces/:traceId. */
  jaegerUrl: string;
  /** Health URLs GET /status asks. */
  health: { collector: string; jaeger: string; inventory: string };
  /** How traces are kept, for the page (GET /status). */
  sampling: SamplingView;
}

export const DEFAULT_INVENTORY_TIMEOUT_MS = 5000;

/** Error in an API-only variable; the message names it. */
export class ApiConfigError extends Error {
  override name = 'ApiConfigError';
}

function timeout(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_INVENTORY_TIMEOUT_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 60_000) {
    throw new ApiConfigError(
      `INVENTORY_TIMEOUT_MS must be a whole number of ms from 1 to 60000, got "${raw}".`,
    );
  }
  return value;
}

export function apiConfigFrom(
  stack: StackConfig,
  env: Record<string, string | undefined> = process.env,
): ApiConfig {
  return {
    host: stack.bindHost,
    port: stack.api.port,
    allowedOrigins: stack.web.allowedOrigins,
    inventory: { url: stack.inventory.url, timeoutMs: timeout(env.INVENTORY_TIMEOUT_MS) },
    jaegerUrl: stack.jaeger.uiUrl,
    health: {
      collector: stack.collector.healthUrl,
      jaeger: stack.jaeger.healthUrl,
      inventory: `${stack.inventory.url}${HEALTH_PATH}`,
    },
    sampling:
      stack.topology === 'gateway'
        ? {
            topology: 'gateway',
            percent: stack.tailSampling.percent,
            latencyMs: stack.tailSampling.latencyMs,
          }
        : { topology: 'single' },
  };
}

/** Reads and validates the configuration; throws an error naming the bad variable. */
export function loadApiConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  return apiConfigFrom(loadStackConfig(env), env);
}
