import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { closeConnectionsWhenClosing } from '../src/run-service.ts';

/** A server whose GET /slow answers when `release()` is called; a keep-alive client. */
async function setUp() {
  const app = Fastify();
  const startClosing = closeConnectionsWhenClosing(app);
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrived = () => {};
  const inFlight = new Promise<void>((resolve) => (arrived = resolve));
  app.get('/slow', async () => {
    arrived();
    await released;
    return { ok: true };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const agent = new Agent({ keepAlive: true });
  const { port } = app.server.address() as AddressInfo;
  const response = new Promise<{ connection: string | undefined }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/slow', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ connection: res.headers.connection }));
    })
      .on('error', reject)
      .end();
  });
  return { app, agent, startClosing, release, inFlight, response };
}

describe('closeConnectionsWhenClosing', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('a request in flight when closing starts is answered, with Connection: close, and close completes', async () => {
    const { app, agent, startClosing, release, inFlight, response } = await setUp();
    cleanups.push(() => agent.destroy());
    await inFlight;
    startClosing();
    const closed = app.close();
    release();
    expect((await response).connection).toBe('close');
    // Without the header the keep-alive socket would stay open and this would never resolve.
    await closed;
  });

  it('before closing, connections are kept alive (the header is the only change)', async () => {
    const { app, agent, release, inFlight, response } = await setUp();
    cleanups.push(
      () => agent.destroy(),
      () => app.close(),
    );
    await inFlight;
    release();
    expect((await response).connection).toBe('keep-alive');
  });
});
