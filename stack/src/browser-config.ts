/**
 * The browser's configuration, computed in one place: the endpoints the page
 * uses (the API, where it posts spans, the Jaeger UI it links to), which
 * variables set each one, and in what order. Read by
 *
 * - web/vite.config.ts, at dev and build time, which hands the values to the
 *   page as import.meta.env.VITE_*;
 * - web/src/resolve-config.ts, in the page, which checks them and lets the
 *   runtime config (window.__TRACING_DEMO_CONFIG__) win;
 * - the web Docker image: web/docker/image-files.ts turns BROWSER_ENDPOINTS
 *   into a table its start script reads (names, order, defaults), so the
 *   script holds no variable name and no port of its own.
 *
 * No Node API here: the page bundles the parts it imports.
 */
import { loadStackConfig, type StackConfig } from './config.ts';

/** The page's endpoints, by the name the page reads them under. */
export interface BrowserEndpoints {
  /** Base URL of the API; paths are resolved against it. */
  readonly apiUrl: string;
  /** Where the OTLP/HTTP exporter posts spans. */
  readonly otlpTracesUrl: string;
  /** Jaeger UI, for the "Open trace in Jaeger" link. */
  readonly jaegerUrl: string;
}

export type BrowserEndpointKey = keyof BrowserEndpoints;

export interface BrowserEndpoint {
  /** Sets it for the page alone (Vite exposes VITE_* variables to it); wins over the rest. */
  readonly viteName: string;
  /** Sets it for every part of the stack (the tests, the launcher's messages, the page). */
  readonly stackName: string;
  /** Its value when neither is set: derived from the ports. */
  readonly fromStack: (config: StackConfig) => string;
  /** The page fetches from it, so the Content-Security-Policy's connect-src lists its origin. */
  readonly connect: boolean;
  /** A trailing slash is dropped (paths are appended); the OTLP URL is used as it is. */
  readonly trimSlash: boolean;
}

export const BROWSER_ENDPOINTS: Readonly<Record<BrowserEndpointKey, BrowserEndpoint>> = {
  apiUrl: {
    viteName: 'VITE_API_URL',
    stackName: 'API_URL',
    fromStack: (config) => config.api.url,
    connect: true,
    trimSlash: true,
  },
  otlpTracesUrl: {
    viteName: 'VITE_OTLP_TRACES_URL',
    stackName: 'COLLECTOR_OTLP_HTTP_TRACES_URL',
    fromStack: (config) => config.collector.httpTracesUrl,
    connect: true,
    trimSlash: false,
  },
  jaegerUrl: {
    viteName: 'VITE_JAEGER_URL',
    stackName: 'JAEGER_URL',
    fromStack: (config) => config.jaeger.uiUrl,
    connect: false,
    trimSlash: true,
  },
};

export const BROWSER_ENDPOINT_KEYS = Object.keys(BROWSER_ENDPOINTS) as BrowserEndpointKey[];

/** Where public/runtime-config.js (written by the Docker image at start) puts the endpoints. */
export const RUNTIME_CONFIG_GLOBAL = '__TRACING_DEMO_CONFIG__';

type Env = Record<string, string | undefined>;

/**
 * The page's endpoints for `env`: each one's VITE_* variable if set, else the
 * stack's value (its *_URL variable, else derived from the ports). Throws the
 * stack configuration's error, naming the variable, for a bad port.
 */
export function browserEndpoints(env: Env): BrowserEndpoints {
  const stack = loadStackConfig(env);
  const value = (key: BrowserEndpointKey): string => {
    const endpoint = BROWSER_ENDPOINTS[key];
    return env[endpoint.viteName] || endpoint.fromStack(stack);
  };
  return { apiUrl: value('apiUrl'), otlpTracesUrl: value('otlpTracesUrl'), jaegerUrl: value('jaegerUrl') };
}

/** The URLs the page fetches from (API, Collector), for the CSP's connect-src. */
export function connectUrls(endpoints: BrowserEndpoints): string[] {
  return BROWSER_ENDPOINT_KEYS.filter((key) => BROWSER_ENDPOINTS[key].connect).map((key) => endpoints[key]);
}
