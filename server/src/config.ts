import { loadStackConfig, type StackConfig } from '@tracing-demo/stack';

/** What the API needs from the stack configuration (see stack/src/config.ts). */
export interface ApiConfig {
  host: string;
  port: number;
  /** Exact browser origins allowed to call the API (and to send traceparent). */
  allowedOrigins: string[];
}

export function apiConfigFrom(stack: StackConfig): ApiConfig {
  return { host: stack.bindHost, port: stack.api.port, allowedOrigins: stack.web.allowedOrigins };
}

/** Reads and validates the configuration; throws an error naming the bad variable. */
export function loadApiConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  return apiConfigFrom(loadStackConfig(env));
}
