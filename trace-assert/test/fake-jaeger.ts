/** A stand-in for Jaeger's query API, for the reader and poller tests. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { HANDLER_SPAN_ID, REQUEST_SPAN_ID, SERVER_SPAN_ID, loadJson, withoutSpans } from './helpers.ts';

/** One answer: a status with a body (JSON unless a string), or no answer at all. */
export type Reply = { status: number; body: unknown } | 'hang';

export const NOT_FOUND: Reply = {
  status: 404,
  body: { error: { httpCode: 404, message: 'trace not found' } },
};
export const full = loadJson('items-ok');
/** The trace as Jaeger holds it once only the listed span ids have arrived. */
export const only = (...ids: string[]): Reply => ({
  status: 200,
  body: withoutSpans(full, (s) => !ids.includes(s.spanId)),
});
export const API_ONLY = only(SERVER_SPAN_ID, REQUEST_SPAN_ID, HANDLER_SPAN_ID);
export const FULL: Reply = { status: 200, body: full };

const servers: { close: () => void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/**
 * Answers the n-th request (1-based) with `replies[n-1]`, repeating the last
 * reply forever. `paths` lists the paths asked, `accepts` their Accept headers.
 */
export async function fakeJaeger(
  replies: Reply[],
): Promise<{ url: string; paths: string[]; accepts: string[] }> {
  const paths: string[] = [];
  const accepts: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    accepts.push(req.headers.accept ?? '');
    const reply = replies[Math.min(paths.length, replies.length) - 1] ?? NOT_FOUND;
    if (reply === 'hang') return;
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, paths, accepts };
}

/** A URL where nothing listens. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
