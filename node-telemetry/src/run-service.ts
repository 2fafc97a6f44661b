/**
 * Listening and stopping, the same for both services, in the order that
 * loses no span: on SIGTERM/SIGINT stop taking requests and let those in
 * flight finish (their spans end), then release what the service holds, then
 * flush spans (the shutdown hooks, where the tracing preload registered
 * `sdk.shutdown()`), then exit. Flushing first would lose the spans of the
 * requests still in flight. Forced exit after 10 s.
 */
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { runShutdownHooks } from './shutdown-hooks.ts';

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

export async function runService({ service, app, host, port, portVariable, release }: RunServiceOptions) {
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    else app.log.info({ signal }, 'closing');
    await app.close();
    await release?.();
    await runShutdownHooks();
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
    await runShutdownHooks();
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
