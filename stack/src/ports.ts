import { createServer } from 'node:net';

/** Resolves true when `host:port` can be bound right now. */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Every (purpose, port) pair that is already taken on `host`. */
export async function busyPorts(host: string, ports: Record<string, number>): Promise<[string, number][]> {
  const checks = await Promise.all(
    Object.entries(ports).map(
      async ([purpose, port]) => [purpose, port, await isPortFree(host, port)] as const,
    ),
  );
  return checks.filter(([, , free]) => !free).map(([purpose, port]) => [purpose, port]);
}
