/**
 * Listening and stopping, the same for both services, in the order that
 * loses no span: on SIGTERM/SIGINT stop taking requests and let those in
 * flight finish (their spans end), then release what the service holds, then
 * flush spans (telemetry-shutdown.ts: what `sdk.shutdown()` does, for the
 * SDK the tracing preload started; NodeSDK installs no signal handler), then
 * exit. Flushing first would lose the spans of the requests still in flight.
 * Forced exit after 10 s.
 */
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { shutdownTelemetry } from './telemetry-shutdown.ts';

export interface RunServiceOptions {
  /** Prefix of the one-sentence errors, e.g. "api". */
  service: string;
  app: FastifyInstance;
  host: string;
  port: number;
  /** The variable that moves the port, named when the port is taken. */
  portVariable: string;
  /** Runs after the app has closed, before the spans are flushed (e.g. close a database). */
  release?: () => void | Promise<void>;
}

/**
 * Makes every response sent once `startClosing()` was called ask its client to
 * close the connection. Fastify's close waits for every open connection, and
 * closes only those idle at that moment: a keep-alive client whose request was
 * in flight would keep its socket open after the answer, and close would wait
 * until the forced exit, which never flushes the spans (seen with `docker
 * compose stop api` during a request, e2e/compose/compose.spec.ts).
 */
export function closeConnectionsWhenClosing(app: FastifyInstance): () => void {
  let closing = false;
  app.addHook('onSend', async (_request, reply) => {
    if (closing) void reply.header('connection', 'close');
  });
  return () => {
    closing = true;
  };
}

export async function runService({ service, app, host, port, portVariable, release }: RunServiceOptions) {
  const startClosing = closeConnectionsWhenClosing(app);
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    startClosing();
    if (err) app.log.error({ err }, 'closing after an error');
    else app.log.info({ signal }, 'closing');
    await app.close();
    await release?.();
    await shutdownTelemetry();
  });

  try {
    await app.listen({ host, port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      code === 'EADDRINUSE'
        ? `${service}: port ${port} on ${host} is already in use; stop what uses it or set ${portVariable}.`
        : `${service}: could not listen on ${host}:${port}: ${(error as Error).message}`,
    );
    await release?.();
    await shutdownTelemetry();
    process.exit(1);
  }
}

/** Reads a service's configuration, or exits with the one sentence that names the bad variable. */
export function loadOrExit<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    console.error(`${service}: ${(error as Error).message}`);
    process.exit(1);
  }
}
