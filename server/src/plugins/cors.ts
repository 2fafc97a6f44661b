import cors from '@fastify/cors';
import fp from 'fastify-plugin';

export interface CorsOptions {
  allowedOrigins: string[];
}

/**
 * CORS for the web app's exact origins. The browser only sends `traceparent`
 * cross-origin after a preflight that allows it; without the propagation
 * headers here, the browser's trace silently stops at the API's door.
 */
export default fp<CorsOptions>(
  async (app, { allowedOrigins }) => {
    await app.register(cors, {
      origin: allowedOrigins,
      methods: ['GET', 'HEAD', 'OPTIONS'],
      allowedHeaders: ['traceparent', 'tracestate', 'baggage', 'content-type'],
      // Lets the page read the trace id the API returns (Server-Timing).
      exposedHeaders: ['server-timing'],
      maxAge: 600,
    });
  },
  { name: 'cors' },
);
