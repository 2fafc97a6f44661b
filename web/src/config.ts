import { resolveAppConfig, RUNTIME_CONFIG_GLOBAL, type AppConfig } from './resolve-config';

export type { AppConfig } from './resolve-config';

/**
 * Everything the app needs to know about the stack, read once at startup: each
 * endpoint from window.__TRACING_DEMO_CONFIG__ (set by public/runtime-config.js,
 * which the Docker image writes when the container starts) if it sets it, else
 * from import.meta.env (filled in by web/vite.config.ts). See resolve-config.ts.
 */
export const appConfig: AppConfig = resolveAppConfig(
  (globalThis as Record<string, unknown>)[RUNTIME_CONFIG_GLOBAL],
  // Each name spelled out: Vite replaces these exact expressions at build time.
  {
    VITE_API_URL: import.meta.env.VITE_API_URL,
    VITE_OTLP_TRACES_URL: import.meta.env.VITE_OTLP_TRACES_URL,
    VITE_JAEGER_URL: import.meta.env.VITE_JAEGER_URL,
  },
);
