/** Small clients for the specs: raw HTTP bytes, OTLP/JSON bodies, random ids. */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { formatTraceparent } from '@tracing-demo/trace-assert';

export const newTraceId = (): string => randomBytes(16).toString('hex');
export const newSpanId = (): string => randomBytes(8).toString('hex');
/** A sampled traceparent with a fresh trace id; returns both. */
export function sampledTraceparent(): { traceId: string; traceparent: string } {
  const traceId = newTraceId();
  return { traceId, traceparent: formatTraceparent({ traceId, parentSpanId: newSpanId(), sampled: true }) };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends `request` as raw bytes to `url`'s host and port, reads until the
 * server closes, and parses the (first) response. For what fetch will not
 * send: oversized header blocks, broken framing.
 */
export function rawHttp(url: string, request: string): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    const done = () => {
      const end = answer.indexOf('\r\n\r\n');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
      if (!match || end === -1) {
        reject(new Error(`not an HTTP response: ${JSON.stringify(answer.slice(0, 200))}`));
        return;
      }
      const headers: Record<string, string> = {};
      for (const line of answer.slice(0, end).split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(match[1]), headers, body: answer.slice(end + 4) });
    };
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // Node may reset the connection right after answering an oversized request.
      if (error.code === 'ECONNRESET' && answer) done();
      else reject(error);
    });
    socket.on('close', done);
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer from ${url} within 10 s`)));
    socket.end(request, 'latin1');
  });
}

/** An OTLP/JSON ExportTraceServiceRequest with one span per id, of service `service`. */
export function otlpJson(
  spans: readonly { traceId: string; spanId?: string; name?: string }[],
  service = 'fault-test',
): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            scope: { name: 'fault-test' },
            spans: spans.map((span, i) => ({
              traceId: span.traceId,
              spanId: span.spanId ?? newSpanId(),
              name: span.name ?? `span ${i}`,
              kind: 1,
              startTimeUnixNano: String(now),
              endTimeUnixNano: String(now + 1_000_000n),
            })),
          },
        ],
      },
    ],
  });
}

/** POSTs OTLP/JSON (or any body) to the Collector's traces URL. */
export async function postOtlp(
  tracesUrl: string,
  body: string | Uint8Array<ArrayBuffer>,
  contentType = 'application/json',
): Promise<{ status: number; body: string }> {
  const response = await fetch(tracesUrl, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, body: await response.text() };
}
