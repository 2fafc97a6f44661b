/**
 * Fastify logger options shared by the services: JSON lines (pino) on stdout,
 * where the launcher prefixes them with the service name, and the same lines
 * appended to `<LOG_DIR>/<service>.log` when LOG_DIR is set (the launcher sets
 * it), so `grep <trace id> .data/logs/*.log` finds every line of a request.
 * The trace_id / span_id fields come from the pino instrumentation (each
 * service's src/tracing.ts).
 */
import { join } from 'node:path';
import { LogController, type onRequestHookHandler } from 'fastify';
import pino, { type DestinationStream, type LoggerOptions } from 'pino';

export interface ServiceLoggerOptions {
  service: string;
  level?: string;
  /** Directory of the log file; undefined or '' logs to stdout only. */
  logDir?: string;
}

export function logFilePath(logDir: string, service: string): string {
  return join(logDir, `${service}.log`);
}

export function serviceLogger({ service, level = 'info', logDir }: ServiceLoggerOptions): {
  level: string;
  base: Record<string, unknown>;
  stream: DestinationStream;
} & Pick<LoggerOptions, 'level'> {
  const stdout = pino.destination({ dest: 1, sync: true });
  const stream =
    logDir === undefined || logDir === ''
      ? stdout
      : pino.multistream([
          { level: 'trace', stream: stdout },
          // Synchronous appends: a line is on disk when the request ends, so a
          // test or a user can grep it at once; a demo logs a few lines per request.
          {
            level: 'trace',
            stream: pino.destination({
              dest: logFilePath(logDir, service),
              append: true,
              mkdir: true,
              sync: true,
            }),
          },
        ]);
  // `service` names the line in a file that mixes nothing else, but makes
  // `grep -h` over several files readable.
  return { level, base: { service, pid: process.pid }, stream };
}

/**
 * Fastify writes its "incoming request" line before any hook runs, and
 * @fastify/otel starts a request's span (and context) in its onRequest hook,
 * the first one: written there, the line would carry no trace_id. With this
 * controller Fastify leaves that line to {@link logIncomingRequest}, an
 * onRequest hook of the app that runs inside the span. Its other lines
 * ("request completed", errors) are Fastify's own.
 */
export class IncomingRequestInHook extends LogController {
  override incomingRequest(): void {}
}

/** The "incoming request" line Fastify writes, from an onRequest hook (see {@link IncomingRequestInHook}). */
export const logIncomingRequest: onRequestHookHandler = (request, _reply, done) => {
  request.log.info({ req: request }, 'incoming request');
  done();
};
