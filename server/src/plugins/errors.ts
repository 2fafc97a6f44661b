import { STATUS_CODES } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifySchemaValidationError } from 'fastify';
import { SpanStatusCode } from '@opentelemetry/api';
import { PATTERN_MEANINGS, type ErrorBody } from '@tracing-demo/contracts';
import { serverSpan } from '../server-span.ts';

/**
 * How the API answers an error, in one place:
 * - {@link sendError}: the one way to reply with an error, in the contract's
 *   shape (`ErrorSchema`: `{statusCode, code?, error, message}`, `error` the
 *   status's reason phrase from node:http);
 * - {@link validationErrorFormatter}: the one wording of a 400 from a schema
 *   (`params/id must be integer`);
 * - the one error handler, for what a route or hook throws: 4xx errors
 *   (validation, oversized input) keep their message, which names the
 *   problem. 5xx errors are recorded on the SERVER span (status ERROR plus an
 *   `exception` event, so Jaeger shows where it broke) and answered with a
 *   body that leaks no internals.
 *
 * A route that knows what went wrong (item not found, inventory down) calls
 * sendError itself rather than throwing: it answers with its own status and
 * message, and the error handler stays for what nobody expected.
 */

export function errorBody(statusCode: number, message: string, code?: string): ErrorBody {
  const error = STATUS_CODES[statusCode] ?? (statusCode < 500 ? 'Bad Request' : 'Internal Server Error');
  return code ? { statusCode, code, error, message } : { statusCode, error, message };
}

export function sendError(
  reply: FastifyReply,
  statusCode: number,
  message: string,
  code?: string,
): FastifyReply {
  return reply.code(statusCode).send(errorBody(statusCode, message, code));
}

/**
 * Fastify's wording (`querystring/q must NOT have more than 256 characters`),
 * except that a pattern says what it means (contracts' PATTERN_MEANINGS)
 * instead of printing its regex.
 */
export function validationErrorFormatter(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const meaning = (e: FastifySchemaValidationError) =>
    e.keyword === 'pattern' ? PATTERN_MEANINGS[String(e.params.pattern)] : undefined;
  return new Error(errors.map((e) => `${dataVar}${e.instancePath} ${meaning(e) ?? e.message}`).join(', '));
}

export default fp(
  async (app) => {
    app.setSchemaErrorFormatter(validationErrorFormatter);
    app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
      const statusCode = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
      if (statusCode < 500) return sendError(reply, statusCode, error.message, error.code);
      const span = serverSpan();
      span?.recordException(error);
      span?.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      request.log.error({ err: error }, 'request failed');
      return sendError(
        reply,
        statusCode,
        'The server could not complete this request; the trace shows where it failed.',
      );
    });
  },
  { name: 'errors' },
);
