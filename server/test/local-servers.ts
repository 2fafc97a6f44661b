/**
 * Real HTTP servers on loopback for the route tests (a Jaeger, a health
 * endpoint, whatever a route calls), each closed after its test, and the
 * API apps built for them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { afterEach } from 'vitest';
import errorsPlugin from '../src/plugins/errors.ts';

const servers: Server[] = [];
const apps: { close(): Promise<unknown> }[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** Closes `app` after the test. */
export function closeAfterTest<T extends { close(): Promise<unknown> }>(app: T): T {
  apps.push(app);
  return app;
}

/** Listens on a free port of 127.0.0.1 until the test ends; the server's base URL. */
export async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A base URL nothing listens on (a port that was just free). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** The API with just one routes plugin and the error handler (app.ts registers the same), closed after the test. */
export async function appWithRoutes<Options extends object>(
  routes: FastifyPluginAsync<Options>,
  options: Options,
) {
  const app = closeAfterTest(Fastify().withTypeProvider<TypeBoxTypeProvider>());
  await app.register(errorsPlugin);
  await app.register(routes, options);
  return app;
}
