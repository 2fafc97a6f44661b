import { SERVICE_NAMES } from '@tracing-demo/stack';

/** Everything the app needs to know about the stack, read once from import.meta.env. */
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

export const appConfig: AppConfig = Object.freeze({
  serviceName: SERVICE_NAMES.web,
  apiUrl: absoluteUrl('VITE_API_URL', import.meta.env.VITE_API_URL),
  otlpTracesUrl: absoluteUrl('VITE_OTLP_TRACES_URL', import.meta.env.VITE_OTLP_TRACES_URL, {
    trimSlash: false,
  }),
  jaegerUrl: absoluteUrl('VITE_JAEGER_URL', import.meta.env.VITE_JAEGER_URL),
});
