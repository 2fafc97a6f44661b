/**
 * Response headers of the web app, for Vite's dev server (web/vite.config.ts)
 * and the server of the production build (web/serve.ts). The
 * Content-Security-Policy lets the page load only its own scripts and styles
 * and connect only to itself, the API and the Collector's OTLP/HTTP endpoint,
 * and lets no other page frame it.
 *
 * The production build (which the tests and the benchmark use) gets the
 * strict policy. Vite's dev server needs two relaxations, in dev only:
 * inline scripts and styles (the React Refresh preamble, CSS injected by
 * HMR) and its HMR WebSocket.
 */
import { browserEndpoints, connectUrls } from '../stack/src/browser-config.ts';
import type { StackConfig } from '../stack/src/config.ts';

export interface WebSecurityOptions {
  /** URLs (or origins) the page fetches or posts to: the API and the OTLP/HTTP traces URL. */
  connectTo: readonly string[];
  /** Origins the page is served from, for the dev server's HMR WebSocket. */
  webOrigins: readonly string[];
}

/** The origin of an absolute http(s) URL; throws naming the value otherwise. */
export function originOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Not an absolute URL: "${url}".`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`Not an http(s) URL: "${url}".`);
  }
  return parsed.origin;
}

/**
 * What the policy allows for a stack: the URLs the page really connects to
 * (stack/src/browser-config.ts: a VITE_* value the user set wins, as in the
 * build), and the origins the page is served from.
 */
export function webSecurityOptions(
  stack: Pick<StackConfig, 'web'>,
  env: Record<string, string | undefined>,
): WebSecurityOptions {
  return {
    connectTo: connectUrls(browserEndpoints(env)),
    webOrigins: [...stack.web.allowedOrigins, stack.web.url],
  };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The Content-Security-Policy of the production build: no inline code, no other origins. */
export function contentSecurityPolicy(
  { connectTo, webOrigins }: WebSecurityOptions,
  { dev = false }: { dev?: boolean } = {},
): string {
  const connect = unique(connectTo.map(originOf));
  const hmrSockets = webOrigins.map((origin) => originOf(origin).replace(/^http/, 'ws'));
  const inline = dev ? ["'unsafe-inline'"] : [];
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", ...inline]],
    ['style-src', ["'self'", ...inline]],
    // The page's icon is an empty data: URL (index.html).
    ['img-src', ["'self'", 'data:']],
    ['connect-src', ["'self'", ...connect, ...(dev ? unique(hmrSockets) : [])]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/** Every security header of the app's responses. */
export function webSecurityHeaders(
  options: WebSecurityOptions,
  { dev = false }: { dev?: boolean } = {},
): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(options, { dev }),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
}
