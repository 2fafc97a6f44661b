import { defineConfig, loadEnv } from 'vite';
import react from '@vitejs/plugin-react';
// The same modules as the `@tracing-demo/stack` package the app imports, by
// relative path on purpose: Vite bundles a config's relative imports but leaves
// package imports to Node, and Node 20 cannot load the package's .ts source.
import { loadStackConfig } from '../stack/src/config.ts';
import {
  BROWSER_ENDPOINT_KEYS,
  BROWSER_ENDPOINTS,
  browserEndpoints,
  connectUrls,
} from '../stack/src/browser-config.ts';
import { webSecurityHeaders } from './security-headers.ts';

export default defineConfig(({ mode }) => {
  const envDir = import.meta.dirname;
  // Every variable, not only VITE_*: .env files in web/ first, the process
  // environment over them (Vite's precedence). The endpoints are computed in
  // one place (stack/src/browser-config.ts); it throws an error naming the
  // variable at fault.
  const env = loadEnv(mode, envDir, '');
  const stack = loadStackConfig(env);
  const endpoints = browserEndpoints(env);

  // The page reads each endpoint as import.meta.env.VITE_* (src/config.ts).
  // A VITE_* variable the user set is already in `endpoints`, so defining
  // every one changes nothing Vite would have exposed by itself.
  const define = Object.fromEntries(
    BROWSER_ENDPOINT_KEYS.map((key) => [
      `import.meta.env.${BROWSER_ENDPOINTS[key].viteName}`,
      JSON.stringify(endpoints[key]),
    ]),
  );

  // The page may connect to itself, the API and the Collector, exactly: the
  // URLs it will really use.
  const security = {
    connectTo: connectUrls(endpoints),
    webOrigins: [...stack.web.allowedOrigins, stack.web.url],
  };

  const listen = { host: stack.bindHost, port: stack.web.port, strictPort: true };
  return {
    // Explicit, so the config behaves the same when run from the repository root.
    root: envDir,
    plugins: [react()],
    envDir,
    define,
    // The dev server's policy allows inline code and the HMR socket; the
    // production build (preview, which the tests use) gets the strict one.
    server: { ...listen, headers: webSecurityHeaders(security, { dev: true }) },
    preview: { ...listen, headers: webSecurityHeaders(security) },
  };
});
