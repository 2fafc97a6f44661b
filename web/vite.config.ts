import { defineConfig, loadEnv } from 'vite';
import react from '@vitejs/plugin-react';
// The same module as the `@tracing-demo/stack` package the app imports, by
// relative path on purpose: Vite bundles a config's relative imports but leaves
// package imports to Node, and Node 20 cannot load the package's .ts source.
import { loadStackConfig } from '../stack/src/config.ts';
import { webSecurityHeaders, webSecurityOptions } from './security-headers.ts';

/**
 * The browser-facing endpoints the app needs, by the `import.meta.env` name it
 * reads them under (see src/config.ts and src/vite-env.d.ts).
 */
type BrowserEnvName = 'VITE_API_URL' | 'VITE_OTLP_TRACES_URL' | 'VITE_JAEGER_URL';

export default defineConfig(({ mode }) => {
  const envDir = import.meta.dirname;
  // Every variable, not only VITE_*: .env files in web/ first, the process
  // environment over them (Vite's precedence). The stack configuration is the
  // single source of truth for ports and endpoints; loadStackConfig throws an
  // error naming the variable at fault.
  const env = loadEnv(mode, envDir, '');
  const stack = loadStackConfig(env);

  const endpoints: Record<BrowserEnvName, string> = {
    VITE_API_URL: stack.api.url,
    VITE_OTLP_TRACES_URL: stack.collector.httpTracesUrl,
    VITE_JAEGER_URL: stack.jaeger.uiUrl,
  };
  // A VITE_* variable the user set (shell or .env file) wins: Vite exposes it
  // on import.meta.env by itself, and a `define` would silently override it.
  const define: Record<string, string> = {};
  for (const [name, value] of Object.entries(endpoints)) {
    if (!env[name]) define[`import.meta.env.${name}`] = JSON.stringify(value);
  }

  // The page may connect to itself, the API and the Collector, exactly: the
  // URLs it will really use (a VITE_* value set by the user wins, as above).
  const security = webSecurityOptions(stack, env);

  const listen = { host: stack.bindHost, port: stack.web.port, strictPort: true };
  return {
    // Explicit, so the config behaves the same when run from the repository root.
    root: envDir,
    plugins: [react()],
    envDir,
    define,
    // The dev server's policy allows inline code and the HMR socket; the
    // production build gets the strict one (here for `vite preview`; the
    // stack serves the build with web/serve.ts, which sends the same headers).
    server: { ...listen, headers: webSecurityHeaders(security, { dev: true }) },
    preview: { ...listen, headers: webSecurityHeaders(security) },
  };
});
