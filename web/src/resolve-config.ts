import { SERVICE_NAMES } from '@tracing-demo/stack';

/**
 * How the page's configuration is put together, without reading it: the page
 * reads it once in src/config.ts. Each endpoint comes from the runtime config
 * (window.__TRACING_DEMO_CONFIG__) if it sets it, else from import.meta.env.
 */

/** Everything the app needs to know about the stack. */
export interface AppConfig {
  /** service.name of the browser's spans. */
  readonly serviceName: typeof SERVICE_NAMES.web;
  /** Base URL of the API; paths are resolved against it. */
  readonly apiUrl: string;
  /** Where the OTLP/HTTP exporter posts spans. */
  readonly otlpTracesUrl: string;
  /** Jaeger UI, for the "Open trace in Jaeger" link. */
  readonly jaegerUrl: string;
}

/** Where public/runtime-config.js puts the endpoints set at run time. */
export const RUNTIME_CONFIG_GLOBAL = '__TRACING_DEMO_CONFIG__';

/**
 * The endpoints public/runtime-config.js may set before the app loads. Natively
 * it sets nothing; the Docker image writes them when the container starts, so
 * one image serves any host and ports. Each one set wins over its VITE_* value.
 */
export interface RuntimeConfig {
  readonly apiUrl?: string;
  readonly otlpTracesUrl?: string;
  readonly jaegerUrl?: string;
}

/** The build-time values: import.meta.env, filled in by web/vite.config.ts. */
export interface BuildEnv {
  readonly VITE_API_URL?: string;
  readonly VITE_OTLP_TRACES_URL?: string;
  readonly VITE_JAEGER_URL?: string;
}

/** Each endpoint: its build-time variable, and whether a trailing slash is dropped. */
const ENDPOINTS = {
  apiUrl: { envName: 'VITE_API_URL', trimSlash: true },
  otlpTracesUrl: { envName: 'VITE_OTLP_TRACES_URL', trimSlash: false },
  jaegerUrl: { envName: 'VITE_JAEGER_URL', trimSlash: true },
} as const satisfies Record<keyof RuntimeConfig, { envName: keyof BuildEnv; trimSlash: boolean }>;

/** Validates an endpoint; a mistake fails loudly at startup, naming the variable. */
function absoluteUrl(name: string, value: string | undefined, { trimSlash = true } = {}): string {
  if (!value) {
    throw new Error(`${name} is not set: start the page through web/vite.config.ts or set it in web/.env.`);
  }
  let href: string;
  try {
    href = new URL(value).href;
  } catch {
    throw new Error(`${name} must be an absolute URL, got "${value}".`);
  }
  return trimSlash ? href.replace(/\/$/, '') : href;
}

/** Checks the shape of window.__TRACING_DEMO_CONFIG__: absent, or an object of known string keys. */
function runtimeConfig(value: unknown): RuntimeConfig {
  const name = `window.${RUNTIME_CONFIG_GLOBAL}`;
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${name} must be an object like { apiUrl: 'http://…' }, got ${JSON.stringify(value)}.`);
  }
  const known = Object.keys(ENDPOINTS);
  for (const [key, entry] of Object.entries(value)) {
    if (!known.includes(key)) {
      throw new Error(`${name} has an unknown key "${key}"; the keys are ${known.join(', ')}.`);
    }
    if (entry !== undefined && typeof entry !== 'string') {
      throw new Error(`${name}.${key} must be a string, got ${JSON.stringify(entry)}.`);
    }
  }
  return value as RuntimeConfig;
}

/**
 * The app's configuration: each endpoint from the runtime config when it sets
 * one (a non-empty string), else from the build-time VITE_* value. Throws an
 * error naming the variable at fault.
 */
export function resolveAppConfig(runtime: unknown, env: BuildEnv): AppConfig {
  const fromRuntime = runtimeConfig(runtime);
  const endpoint = (key: keyof RuntimeConfig): string => {
    const { envName, trimSlash } = ENDPOINTS[key];
    const value = fromRuntime[key];
    return value
      ? absoluteUrl(`window.${RUNTIME_CONFIG_GLOBAL}.${key}`, value, { trimSlash })
      : absoluteUrl(envName, env[envName], { trimSlash });
  };
  return Object.freeze({
    serviceName: SERVICE_NAMES.web,
    apiUrl: endpoint('apiUrl'),
    otlpTracesUrl: endpoint('otlpTracesUrl'),
    jaegerUrl: endpoint('jaegerUrl'),
  });
}
