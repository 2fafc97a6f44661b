// Endpoints the page uses, set at run time; loaded by index.html before the app.
//
// Natively (Vite dev server and preview) this file sets nothing, and the app
// uses the VITE_* values web/vite.config.ts computed from the stack config.
// In the Docker image it is rewritten when the container starts, from
// environment variables (web/docker/40-tracing-demo-runtime-config.sh), to:
//
//   window.__TRACING_DEMO_CONFIG__ = { apiUrl: '…', otlpTracesUrl: '…', jaegerUrl: '…' };
//
// Each endpoint it sets wins over the VITE_* one (see src/config.ts).
