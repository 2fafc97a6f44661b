/**
 * Synthetic OTLP traffic for the Collector: batches of realistic spans (the
 * five spans of a click, with the attributes the real ones carry), encoded
 * ONCE with the SDK's own serializers (protobuf for gRPC, JSON for HTTP), then
 * sent with fresh trace and span ids patched into the bytes for every batch.
 * The client then costs almost nothing per span, so on a small machine the
 * Collector, not the load generator, is what gets measured.
 */
import { randomFillSync } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { credentials, Client, type ServiceError } from '@grpc/grpc-js';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';

export const SPANS_PER_TRACE = 5;

export type Protocol = 'http' | 'grpc';

interface Patch {
  offset: number;
  /** Index of the id in the batch's id buffer (in bytes). */
  idOffset: number;
  length: number;
  hex: boolean;
}

/** A batch encoded once, plus where its ids are, to stamp fresh ids per send. */
export class BatchTemplate {
  readonly spans: number;
  readonly traces: number;
  readonly bytes: Buffer;
  private readonly patches: Patch[];
  private readonly idBytes: number;

  constructor(protocol: Protocol, traces: number) {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'bench-load', 'service.version': '1.0.0' }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('bench');
    for (let t = 0; t < traces; t += 1) {
      tracer.startActiveSpan(
        'user_action get item',
        { root: true, attributes: { 'app.user_action': 'get item' } },
        (action) => {
          tracer.startActiveSpan(
            'HTTP GET',
            {
              kind: SpanKind.CLIENT,
              attributes: {
                'http.request.method': 'GET',
                'url.full': 'http://127.0.0.1:3000/items/5?q=somequery',
                'server.address': '127.0.0.1',
                'server.port': 3000,
                'http.response.status_code': 200,
              },
            },
            (client) => {
              tracer.startActiveSpan(
                'GET /items/:id',
                {
                  kind: SpanKind.SERVER,
                  attributes: {
                    'http.request.method': 'GET',
                    'http.route': '/items/:id',
                    'url.path': '/items/5',
                    'url.query': 'q=somequery',
                    'url.scheme': 'http',
                    'server.address': '127.0.0.1',
                    'server.port': 3000,
                    'network.peer.address': '127.0.0.1',
                    'network.protocol.version': '1.1',
                    'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0.0.0 Safari/537.36',
                    'http.response.status_code': 200,
                  },
                },
                (server) => {
                  tracer.startActiveSpan(
                    'request',
                    {
                      attributes: {
                        'fastify.root': '@fastify/otel',
                        'http.route': '/items/:id',
                        'url.path': '/items/5?q=somequery',
                      },
                    },
                    (request) => {
                      const handler = tracer.startSpan('handler - itemRoutes', {
                        attributes: {
                          'hook.name': 'itemRoutes - route-handler',
                          'fastify.type': 'request-handler',
                          'http.route': '/items/:id',
                          'app.item.id': 5,
                          'app.item.q': 'somequery',
                        },
                      });
                      handler.end();
                      request.end();
                    },
                  );
                  server.end();
                },
              );
              client.setStatus({ code: SpanStatusCode.UNSET });
              client.end();
            },
          );
          action.end();
        },
      );
    }
    const spans = exporter.getFinishedSpans();
    const encoded =
      protocol === 'grpc'
        ? ProtobufTraceSerializer.serializeRequest(spans)
        : JsonTraceSerializer.serializeRequest(spans);
    if (!encoded) throw new Error('the OTLP serializer returned nothing');
    this.bytes = Buffer.from(encoded);
    this.spans = spans.length;
    this.traces = traces;

    // Every distinct id of the batch gets a slot in the id buffer; each of
    // its occurrences in the bytes (span id, parent span id, trace id of each
    // span) is patched from that slot.
    const ids = new Map<string, number>();
    let idBytes = 0;
    const slot = (hex: string) => {
      let at = ids.get(hex);
      if (at === undefined) {
        at = idBytes;
        ids.set(hex, at);
        idBytes += hex.length / 2;
      }
      return at;
    };
    for (const span of spans) {
      slot(span.spanContext().traceId);
      slot(span.spanContext().spanId);
    }
    this.idBytes = idBytes;
    this.patches = [];
    for (const [hex, idOffset] of ids) {
      const needle = protocol === 'grpc' ? Buffer.from(hex, 'hex') : Buffer.from(hex, 'ascii');
      const length = hex.length / 2;
      for (
        let at = this.bytes.indexOf(needle);
        at !== -1;
        at = this.bytes.indexOf(needle, at + needle.length)
      ) {
        this.patches.push({ offset: at, idOffset, length, hex: protocol === 'http' });
      }
    }
    const expected = spans.length * 2 + spans.filter((s) => s.parentSpanContext?.spanId).length;
    if (this.patches.length !== expected) {
      throw new Error(`batch template: found ${this.patches.length} id occurrences, expected ${expected}`);
    }
  }

  /** A copy of the batch with fresh random ids. */
  fresh(): Buffer {
    const ids = randomFillSync(Buffer.allocUnsafe(this.idBytes));
    const out = Buffer.from(this.bytes);
    for (const patch of this.patches) {
      if (patch.hex)
        out.write(ids.toString('hex', patch.idOffset, patch.idOffset + patch.length), patch.offset, 'ascii');
      else ids.copy(out, patch.offset, patch.idOffset, patch.idOffset + patch.length);
    }
    return out;
  }
}

/** Sends encoded batches to a Collector over one protocol. */
export interface Sender {
  send(body: Buffer): Promise<void>;
  close(): void;
}

export function httpSender(url: string): Sender {
  return {
    async send(body) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // A Buffer is a Uint8Array; the DOM typings only want its buffer to be a plain ArrayBuffer.
        body: body as Uint8Array<ArrayBuffer>,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
      if (/"rejectedSpans":\s*"?[1-9]/.test(text)) throw new Error(`partial success: ${text.slice(0, 200)}`);
    },
    close() {},
  };
}

const EXPORT_METHOD = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

export function grpcSender(target: string): Sender {
  const client = new Client(target, credentials.createInsecure());
  const identity = (buffer: Buffer) => buffer;
  return {
    send(body) {
      return new Promise((resolve, reject) => {
        client.makeUnaryRequest(
          EXPORT_METHOD,
          identity,
          identity,
          body,
          { deadline: Date.now() + 10_000 },
          (error: ServiceError | null) => (error ? reject(error) : resolve()),
        );
      });
    },
    close() {
      client.close();
    },
  };
}

export interface RateResult {
  targetRate: number;
  /** Spans acknowledged by the Collector per second of sending. */
  achievedRate: number;
  spansSent: number;
  batchesSent: number;
  errors: number;
  firstError?: string;
  elapsedS: number;
}

/**
 * Sends `template` batches at `rate` spans per second for `seconds`, at most
 * `maxInFlight` requests at a time. Late batches are sent as soon as a slot
 * frees (the rate is kept on average, never exceeded).
 */
export async function sendAtRate(
  sender: Sender,
  template: BatchTemplate,
  rate: number,
  seconds: number,
  { maxInFlight = 16, onTick }: { maxInFlight?: number; onTick?: () => void } = {},
): Promise<RateResult> {
  const total = Math.max(1, Math.round((rate * seconds) / template.spans));
  const intervalMs = (1000 * template.spans) / rate;
  const started = performance.now();
  let sent = 0;
  let inFlight = 0;
  let acked = 0;
  let errors = 0;
  let firstError: string | undefined;
  const pending = new Set<Promise<void>>();
  let lastTick = started;
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - started) / intervalMs) + 1);
    while (sent < due && inFlight < maxInFlight) {
      sent += 1;
      inFlight += 1;
      const request = sender
        .send(template.fresh())
        .then(
          () => {
            acked += 1;
          },
          (error: unknown) => {
            errors += 1;
            firstError ??= error instanceof Error ? error.message : String(error);
          },
        )
        .finally(() => {
          inFlight -= 1;
          pending.delete(request);
        });
      pending.add(request);
    }
    if (onTick && performance.now() - lastTick >= 1000) {
      lastTick = performance.now();
      onTick();
    }
    await delay(Math.max(1, Math.min(intervalMs / 2, 5)));
  }
  await Promise.all(pending);
  const elapsedS = (performance.now() - started) / 1000;
  return {
    targetRate: rate,
    achievedRate: (acked * template.spans) / Math.max(elapsedS, seconds),
    spansSent: sent * template.spans,
    batchesSent: sent,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    elapsedS,
  };
}
