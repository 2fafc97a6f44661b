import fp from 'fastify-plugin';

/**
 * Response headers for a JSON API that browsers call cross-origin, on every
 * response Fastify sends (routes, 4xx, 404, 414, CORS preflights):
 *
 * - `x-content-type-options: nosniff`: JSON is never sniffed into HTML or script;
 * - `cache-control: no-store`: answers (and their trace ids) are not cached;
 * - `referrer-policy: no-referrer`;
 * - `x-frame-options: DENY` and CSP `frame-ancestors 'none'`: never framed;
 *   `default-src 'none'`: a response opened as a document runs nothing;
 * - `cross-origin-resource-policy: same-origin`: other sites cannot embed the
 *   answers with no-cors requests (`<script src>`, `<img>`). CORP only applies
 *   to no-cors requests, so the web app's CORS fetches (from localhost:5173,
 *   cross-site to 127.0.0.1:3000) are governed by CORS alone; the e2e specs
 *   prove it with a real browser from both origins.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
});

export default fp(
  async (app) => {
    app.addHook('onSend', async (_request, reply) => {
      void reply.headers(SECURITY_HEADERS);
    });
  },
  { name: 'security-headers' },
);
