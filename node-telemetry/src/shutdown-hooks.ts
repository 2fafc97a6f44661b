/**
 * Work to do after the server has stopped taking requests, before the process
 * exits. The tracing preload registers its flush here: it must run AFTER
 * Fastify has closed, or the spans of requests still in flight at SIGTERM
 * would end after the exporter was already shut down, and be lost.
 */
type Hook = () => Promise<void>;

const hooks: Hook[] = [];

export function onShutdown(hook: Hook): void {
  hooks.push(hook);
}

export async function runShutdownHooks(): Promise<void> {
  await Promise.allSettled(hooks.map((hook) => hook()));
}
