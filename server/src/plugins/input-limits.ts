import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sendError } from './errors.ts';
import { SECURITY_HEADERS } from './security-headers.ts';

/**
 * Bounds on what a client may send, so that no input is work, and none is a 5xx:
 *
 * - the whole URL (path and query string): longer than `maxUrlLength` is a
 *   414 with a JSON body, from an onRequest hook, before validation and the
 *   handler (after CORS, so the web app can read the answer);
 * - the request line and headers together: Node's `maxHeaderSize` (see
 *   {@link MAX_HEADER_BYTES}), answered by Fastify's client error handler
 *   with a 431 and a JSON body, on a connection Node then closes;
 * - one path parameter: the router's `maxParamLength` (414), and a path that
 *   is not valid percent-encoding (400): see {@link frameworkErrors};
 * - each route's inputs: its TypeBox schema (400).
 */
export const MAX_URL_LENGTH = 2048;
/**
 * Node's default, stated explicitly: above a W3C `baggage` header's 8192
 * bytes, so an oversized one still reaches the propagator (which drops what
 * is over its limits) instead of failing the whole request.
 */
export const MAX_HEADER_BYTES = 16 * 1024;
export const MAX_PARAM_LENGTH = 100;

export interface InputLimitsOptions {
  maxUrlLength?: number;
}

export default fp<InputLimitsOptions>(
  async (app, { maxUrlLength = MAX_URL_LENGTH }) => {
    app.addHook('onRequest', async (request, reply) => {
      if (request.url.length <= maxUrlLength) return;
      const message = `The URL is ${request.url.length} characters long; at most ${maxUrlLength} are accepted.`;
      return sendError(reply, 414, message, 'URL_TOO_LONG');
    });
  },
  { name: 'input-limits' },
);

/**
 * Fastify's `frameworkErrors` option: the router's own refusals (a path that
 * is not valid percent-encoding, a path parameter over `maxParamLength`) are
 * otherwise written straight to the socket, without hooks, so they would miss
 * the security headers. Answered here in the API's error shape, without
 * echoing the (possibly huge) input back.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const statusCode = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? `A path parameter is longer than ${MAX_PARAM_LENGTH} characters.`
      : error.code === 'FST_ERR_BAD_URL'
        ? 'The URL path is not valid percent-encoding.'
        : 'The request could not be routed.';
  void sendError(reply.headers(SECURITY_HEADERS), statusCode, message, error.code);
}
