/**
 * A tiny OTLP/gRPC trace receiver for tests: a real HTTP/2 server on
 * loopback that speaks just enough gRPC for the exporter's unary
 * `TraceService/Export` call, and a minimal protobuf reader that takes the
 * span ids and names out of each request. No gRPC library, no generated
 * code: what the exporter sends is checked on the wire.
 *
 * `stop()` kills the server the way a crashed Collector does (open
 * connections reset, the port refused); `start()` listens again on the same
 * port.
 */
import { createServer, type Http2Server, type Http2Session, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

export interface ReceivedSpan {
  /** Hex, as in a traceparent. */
  traceId: string;
  spanId: string;
  /** Hex; '' for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP's SpanKind: 1 INTERNAL, 2 SERVER, 3 CLIENT, 4 PRODUCER, 5 CONSUMER. */
  kind: number;
  /** Its instrumentation scope's name. */
  scope: string;
  /** service.name of its resource. */
  service: string;
  /** String, integer and boolean attributes (others are left out). */
  attributes: Record<string, string | number | boolean>;
  /** OTLP's status code: 0 UNSET, 1 OK, 2 ERROR. */
  status: number;
  /** The names of its events, e.g. `exception`. */
  events: string[];
  /** performance.now() when the request carrying it arrived. */
  receivedAt: number;
}

type Field = { field: number; wire: number; bytes?: Buffer; varint?: bigint };

/** The fields of one protobuf message (wire format: varint, fixed64, length-delimited, fixed32). */
function* fields(message: Buffer): Generator<Field> {
  let offset = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = message[offset++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  };
  while (offset < message.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) yield { field, wire, varint: varint() };
    else if (wire === 1) offset += 8;
    else if (wire === 5) offset += 4;
    else if (wire === 2) {
      const length = Number(varint());
      const bytes = message.subarray(offset, offset + length);
      offset += length;
      yield { field, wire, bytes };
    } else throw new Error(`unsupported wire type ${wire}`);
  }
}

function children(message: Buffer, field: number): Buffer[] {
  return [...fields(message)].filter((f) => f.field === field && f.bytes).map((f) => f.bytes!);
}

/** KeyValue: key(1), value(2) = AnyValue: string_value(1), bool_value(2), int_value(3). */
function attributes(keyValues: Buffer[]): Record<string, string | number | boolean> {
  const result: Record<string, string | number | boolean> = {};
  for (const keyValue of keyValues) {
    const key = children(keyValue, 1)[0]?.toString('utf8');
    const value = children(keyValue, 2)[0];
    if (key === undefined || value === undefined) continue;
    for (const f of fields(value)) {
      if (f.field === 1 && f.bytes) result[key] = f.bytes.toString('utf8');
      if (f.field === 2 && f.varint !== undefined) result[key] = f.varint === 1n;
      if (f.field === 3 && f.varint !== undefined) result[key] = Number(BigInt.asIntN(64, f.varint));
    }
  }
  return result;
}

/**
 * ExportTraceServiceRequest → resource_spans(1) [resource(1) → attributes(1)] → scope_spans(2)
 * [scope(1) → name(1)] → spans(2): trace_id(1), span_id(2), parent_span_id(4), name(5), kind(6),
 * attributes(9), events(11) → name(2), status(15) → code(3).
 */
export function decodeSpans(request: Buffer, receivedAt: number): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of children(request, 1)) {
    const resource = children(resourceSpans, 1)[0];
    const service = String(attributes(resource ? children(resource, 1) : [])['service.name'] ?? '');
    for (const scopeSpans of children(resourceSpans, 2)) {
      const scopeMessage = children(scopeSpans, 1)[0];
      const scope = scopeMessage ? (children(scopeMessage, 1)[0]?.toString('utf8') ?? '') : '';
      for (const span of children(scopeSpans, 2)) {
        const found = { traceId: '', spanId: '', parentSpanId: '', name: '', kind: 0, status: 0 };
        for (const f of fields(span)) {
          if (f.field === 1 && f.bytes) found.traceId = f.bytes.toString('hex');
          if (f.field === 2 && f.bytes) found.spanId = f.bytes.toString('hex');
          if (f.field === 4 && f.bytes) found.parentSpanId = f.bytes.toString('hex');
          if (f.field === 5 && f.bytes) found.name = f.bytes.toString('utf8');
          if (f.field === 6 && f.varint !== undefined) found.kind = Number(f.varint);
          if (f.field === 15 && f.bytes) {
            for (const g of fields(f.bytes))
              if (g.field === 3 && g.varint !== undefined) found.status = Number(g.varint);
          }
        }
        spans.push({
          ...found,
          scope,
          service,
          attributes: attributes(children(span, 9)),
          events: children(span, 11).map((event) => children(event, 2)[0]?.toString('utf8') ?? ''),
          receivedAt,
        });
      }
    }
  }
  return spans;
}

/** The messages of a gRPC body: each is a 1-byte compressed flag, a 4-byte length, the bytes. */
function grpcMessages(body: Buffer, gzip: boolean): Buffer[] {
  const messages: Buffer[] = [];
  for (let offset = 0; offset < body.length;) {
    const compressed = body[offset] === 1;
    const length = body.readUInt32BE(offset + 1);
    const message = body.subarray(offset + 5, offset + 5 + length);
    messages.push(compressed && gzip ? gunzipSync(message) : message);
    offset += 5 + length;
  }
  return messages;
}

export class OtlpGrpcReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** Export calls answered, successful or not. */
  requests = 0;
  #server: Http2Server | undefined;
  readonly #sessions = new Set<Http2Session>();
  #port = 0;

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get running(): boolean {
    return this.#server !== undefined;
  }

  /** Listens on loopback: on a free port the first time, then on the same port again. */
  async start(): Promise<void> {
    const server = createServer();
    server.on('session', (session) => {
      this.#sessions.add(session);
      session.on('close', () => this.#sessions.delete(session));
      session.on('error', () => {});
    });
    server.on('stream', (stream, headers) => this.#handle(stream, String(headers[':path'] ?? ''), headers));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Stops like a crashed process: the port is refused and open connections are reset. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const session of this.#sessions) session.destroy();
    await closed;
  }

  #handle(stream: ServerHttp2Stream, path: string, headers: Record<string, unknown>): void {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', () => {});
    stream.on('end', () => {
      this.requests += 1;
      if (path !== EXPORT_PATH) return this.#answer(stream, 12, `unknown method ${path}`);
      try {
        const receivedAt = performance.now();
        const gzip = headers['grpc-encoding'] === 'gzip';
        for (const message of grpcMessages(Buffer.concat(chunks), gzip)) {
          this.spans.push(...decodeSpans(message, receivedAt));
        }
      } catch (error) {
        return this.#answer(stream, 3, (error as Error).message);
      }
      this.#answer(stream, 0);
    });
  }

  /** A unary answer: an empty ExportTraceServiceResponse (or none) and the grpc-status trailer. */
  #answer(stream: ServerHttp2Stream, status: number, message?: string): void {
    if (stream.destroyed) return;
    stream.respond({ ':status': 200, 'content-type': 'application/grpc+proto' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => {
      stream.sendTrailers(
        status === 0
          ? { 'grpc-status': '0' }
          : { 'grpc-status': String(status), 'grpc-message': message ?? '' },
      );
    });
    // One message of length 0 (flag byte + 4-byte length) on success.
    stream.end(status === 0 ? Buffer.alloc(5) : undefined);
  }
}
