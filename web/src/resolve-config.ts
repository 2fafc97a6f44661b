import { SERVICE_NAMES } from '@tracing-demo/stack';
import type { BrowserEndpointKey, BrowserEndpoints } from '@tracing-demo/stack/browser-config';
import {
  BROWSER_ENDPOINT_KEYS,
  BROWSER_ENDPOINTS,
  RUNTIME_CONFIG_GLOBAL,
} from '@tracing-demo/stack/browser-config';

/**
 * How the page's configuration is put together, without reading it: the page
 * reads it once in src/config.ts. Each endpoint comes from the runtime config
 * (window.__TRACING_DEMO_CONFIG__) if it sets it, else from import.meta.env.
 * Which endpoints there are, and their variables: stack/src/browser-config.ts.
 */

export { RUNTIME_CONFIG_GLOBAL };

/** Everything the app needs to know about the stack. */
export interface AppConfig extends BrowserEndpoints {
  /** service.name of the browser's spans. */
  readonly serviceName: typeof SERVICE_NAMES.web;
}

/**
 * The endpoints public/runtime-config.js may set before the app loads. Natively
 * it sets nothing; the Docker image writes them when the container starts, so
 * one image serves any host and ports. Each one set wins over its VITE_* value.
 */
export type RuntimeConfig = Partial<BrowserEndpoints>;

/** The build-time values by their VITE_* names: import.meta.env, filled in by web/vite.config.ts. */
export type BuildEnv = Readonly<Record<string, string | undefined>>;

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
  const known: readonly string[] = BROWSER_ENDPOINT_KEYS;
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
  const endpoint = (key: BrowserEndpointKey): string => {
    const { viteName, trimSlash } = BROWSER_ENDPOINTS[key];
    const value = fromRuntime[key];
    return value
      ? absoluteUrl(`window.${RUNTIME_CONFIG_GLOBAL}.${key}`, value, { trimSlash })
      : absoluteUrl(viteName, env[viteName], { trimSlash });
  };
  return Object.freeze({
    serviceName: SERVICE_NAMES.web,
    apiUrl: endpoint('apiUrl'),
    otlpTracesUrl: endpoint('otlpTracesUrl'),
    jaegerUrl: endpoint('jaegerUrl'),
  });
}
