/// <reference types="vite/client" />

// The browser-facing endpoints. vite.config.ts fills them in from the stack
// configuration (@tracing-demo/stack) unless the user set them; read them
// through src/config.ts, never directly in components.
interface ImportMetaEnv {
  /** Origin of the Fastify API, e.g. http://127.0.0.1:3000 */
  readonly VITE_API_URL: string;
  /** OTLP/HTTP traces endpoint of the Collector, e.g. http://127.0.0.1:4318/v1/traces */
  readonly VITE_OTLP_TRACES_URL: string;
  /** Jaeger UI, e.g. http://127.0.0.1:16686 */
  readonly VITE_JAEGER_URL: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
