import fp from 'fastify-plugin';
import { SpanStatusCode } from '@opentelemetry/api';
import { serverSpan } from './server-timing.ts';

/**
 * The one error handler. 4xx errors (validation, oversized input) keep
 * Fastify's message, which names the problem. 5xx errors are recorded on the
 * SERVER span (status ERROR plus an `exception` event, so Jaeger shows where
 * it broke) and answered with a body that leaks no internals.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
      const statusCode = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
      if (statusCode < 500) {
        return reply.code(statusCode).send({
          statusCode,
          ...(error.code ? { code: error.code } : {}),
          error: statusText(statusCode),
          message: error.message,
        });
      }
      const span = serverSpan();
      span?.recordException(error);
      span?.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      request.log.error({ err: error }, 'request failed');
      return reply.code(statusCode).send({
        statusCode,
        error: statusText(statusCode),
        message: 'The server could not complete this request; the trace shows where it failed.',
      });
    });
  },
  { name: 'errors' },
);

function statusText(code: number): string {
  const texts: Record<number, string> = {
    400: 'Bad Request',
    404: 'Not Found',
    413: 'Payload Too Large',
    414: 'URI Too Long',
    415: 'Unsupported Media Type',
    431: 'Request Header Fields Too Large',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return texts[code] ?? (code < 500 ? 'Bad Request' : 'Internal Server Error');
}
