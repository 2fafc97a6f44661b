/**
 * Serves the production build (`vite build`'s output) for the native stack:
 * `node web/serve.ts [--outDir dist]`, on WEB_PORT and BIND_HOST like the
 * rest of the stack (stack/src/config.ts).
 *
 * What `vite preview` did, without loading Vite: about 64 MB of memory
 * instead of about 130 (docs/performance.md). The same security headers on
 * every response (security-headers.ts, the one source, as in vite.config.ts
 * and the nginx image), the app's index.html for any path that is not a file
 * (the page is a single-page app), and the caching of the nginx image
 * (web/docker/default.conf.template): hashed assets forever, the rest
 * revalidated, runtime-config.js never stored.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { parseArgs, parseEnv } from 'node:util';
import sirv from 'sirv';
import { loadStackConfig } from '../stack/src/config.ts';
import { webSecurityHeaders, webSecurityOptions } from './security-headers.ts';

const WEB_DIR = import.meta.dirname;

/**
 * The environment the build was made with: web/.env files as Vite reads them
 * for a production build (`.env`, `.env.local`, `.env.production`,
 * `.env.production.local`, later files winning), the process environment over
 * them. The policy must allow the very URLs the build baked in.
 */
function buildEnv(): Record<string, string | undefined> {
  const fromFiles: Record<string, string> = {};
  for (const file of ['.env', '.env.local', '.env.production', '.env.production.local']) {
    const path = join(WEB_DIR, file);
    if (existsSync(path)) Object.assign(fromFiles, parseEnv(readFileSync(path, 'utf8')));
  }
  return { ...fromFiles, ...process.env };
}

/** Cache-Control by path, as the nginx image sends it. */
function cacheControl(pathname: string): string {
  if (pathname === '/runtime-config.js') return 'no-store';
  // Vite puts a content hash in every name under /assets/: they never change.
  if (pathname.startsWith('/assets/')) return 'public, max-age=31536000, immutable';
  return 'no-cache';
}

const { values } = parseArgs({ options: { outDir: { type: 'string', default: 'dist' } } });
const root = resolve(WEB_DIR, values.outDir);
if (!existsSync(join(root, 'index.html'))) {
  console.error(`web: no build in ${root}: run \`vite build\` first (npm start and the tests do).`);
  process.exit(1);
}

const env = buildEnv();
const stack = (() => {
  try {
    return loadStackConfig(env);
  } catch (error) {
    console.error(`web: ${(error as Error).message}`);
    process.exit(1);
  }
})();
const securityHeaders = Object.entries(webSecurityHeaders(webSecurityOptions(stack, env)));
const serveBuild = sirv(root, {
  // Any path that is not a file (and has no file extension) gets index.html.
  single: true,
  etag: true,
  setHeaders: (res, pathname) => res.setHeader('cache-control', cacheControl(pathname)),
});

const server = createServer((req, res) => {
  for (const [name, value] of securityHeaders) res.setHeader(name, value);
  serveBuild(req, res, () => {
    res.statusCode = 404;
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end('Not found\n');
  });
});

server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `web: port ${stack.web.port} on ${stack.bindHost} is already in use; stop what uses it or set WEB_PORT.`
      : `web: could not listen on ${stack.bindHost}:${stack.web.port}: ${error.message}`,
  );
  process.exit(1);
});
server.listen(stack.web.port, stack.bindHost, () => {
  console.log(`web: serving ${root} at ${stack.web.url}`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    // Keep-alive connections of a browser would hold close() open.
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
