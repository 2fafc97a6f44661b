/**
 * The service the W3C Trace Context test suite (github.com/w3c/trace-context,
 * folder test/) drives, run with the API's own tracing preload:
 *
 *   node --import ./src/tracing.ts test/w3c-suite-service.ts   # in server/, listens on 127.0.0.1:5050
 *   STRICT_LEVEL=2 SPEC_LEVEL=2 python test.py http://127.0.0.1:5050/test
 *
 * The suite POSTs a list of `{ url, arguments }`; for each, the service POSTs
 * `arguments` to `url` as a child of the incoming request (fetch, traced by
 * the undici instrumentation), then answers.
 */
import Fastify from 'fastify';

interface SuiteCall {
  url: string;
  arguments: SuiteCall[];
}

const app = Fastify();
app.post('/test', async (request) => {
  for (const call of request.body as SuiteCall[]) {
    const response = await fetch(call.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(call.arguments),
    });
    await response.body?.cancel();
  }
  return 'ok';
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.W3C_SUITE_SERVICE_PORT ?? 5050) });
