/**
 * The services Jaeger holds spans of, from its query API
 * (`GET /api/v3/services` → `{"services": ["api", "web"]}`), for the trace
 * list's filter. Failures are trace-assert's Jaeger errors, so the route
 * answers them as it answers a failed trace search.
 */
import { Type } from 'typebox';
import { Check } from 'typebox/schema';
import { errorText, JaegerAnswerError, JaegerUnreachableError } from '@tracing-demo/trace-assert/jaeger';

/** Jaeger's answer; protobuf's JSON mapping leaves out an empty list. */
const JaegerServicesSchema = Type.Object({ services: Type.Optional(Type.Array(Type.String())) });

/**
 * The service names, sorted. Throws {@link JaegerUnreachableError} when there
 * is no 2xx answer within `timeoutMs`, {@link JaegerAnswerError} when the
 * answer is not a list of names.
 */
export async function fetchServices(
  jaegerUrl: string,
  { timeoutMs, fetch: fetchImpl = globalThis.fetch }: { timeoutMs: number; fetch?: typeof fetch },
): Promise<string[]> {
  const url = `${jaegerUrl.replace(/\/+$/, '')}/api/v3/services`;
  let status: number;
  let text: string;
  try {
    const response = await fetchImpl(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    throw new JaegerUnreachableError(`Jaeger GET ${url}: ${errorText(error)}`, { cause: error });
  }
  if (status < 200 || status > 299) throw new JaegerUnreachableError(`Jaeger GET ${url} answered ${status}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new JaegerAnswerError(`Jaeger GET ${url} answered a body that is not JSON`, 'it is not JSON');
  }
  if (!Check(JaegerServicesSchema, body))
    throw new JaegerAnswerError(
      `Jaeger GET ${url} answered something that is not a list of services`,
      'it is not a list of services',
    );
  return [...(body.services ?? [])].sort();
}
