/**
 * One SERVER span per incoming HTTP request, and nothing else per request:
 * the span continues the caller's `traceparent`, is the active span while
 * the request is handled (so the route's own attributes, the CLIENT span of
 * an outgoing call and the log lines' trace ids all hang off it), and is
 * named after the Fastify route (`GET /items/:id`, with `http.route`).
 *
 * Why not instrumentation-http plus @fastify/otel, as before: together they
 * made three spans per request (SERVER, `request`, `handler - …`) that said
 * the same thing, and instrumentation-http alone computes a dozen attributes
 * nobody here reads and wraps every listener of the request and response
 * emitters; the traced API needed about four times the CPU per `GET /` of the
 * untraced one (docs/performance.md). This module does the part the demo
 * uses: the stable HTTP semantic conventions the tests and the README teach
 * (`http.request.method`, `url.path`, `url.query`, `url.scheme`,
 * `server.address`, `server.port`, `http.route`,
 * `http.response.status_code`), status ERROR for a 5xx; nothing nobody
 * reads (client address, user agent, protocol version, header lengths).
 *
 * How: `http.Server.prototype.emit('request')` runs the server's listener
 * (Fastify's) inside the span's context, so every callback and promise of
 * that request inherits it (AsyncLocalStorage); the span ends when the
 * response closes. Fastify announces each instance it creates on the
 * `fastify.initialization` diagnostics channel: an `onRequest` hook added to
 * each of its routes names the span after the route. Both are installed by the
 * tracing preload only: an untraced service runs none of this.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Server, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';

export interface ServerSpanOptions {
  tracer: Tracer;
  /**
   * Requests that make no span at all; anything done while answering them
   * is untraced too (tracing is suppressed in their context, so an outgoing
   * call makes no CLIENT span and sends no traceparent).
   */
  isIgnored: (request: IncomingMessage) => boolean;
}

/** `host[:port]` of a Host header (IPv6 in brackets) as server.address and server.port. */
export function hostAttributes(host: string | undefined): Attributes {
  if (!host) return {};
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host);
  if (!match) return {};
  const address = match[1]!.replace(/^\[|\]$/g, '');
  return match[2] === undefined
    ? { 'server.address': address }
    : { 'server.address': address, 'server.port': Number(match[2]) };
}

/**
 * hostAttributes of the last Host header seen: a server is nearly always
 * reached under one name, so the regular expressions run once, not per
 * request. The attributes are copied into each span (the SDK copies them).
 */
let lastHost: { host: string | undefined; attributes: Attributes } = { host: undefined, attributes: {} };
function cachedHostAttributes(host: string | undefined): Attributes {
  if (host !== lastHost.host) lastHost = { host, attributes: hostAttributes(host) };
  return lastHost.attributes;
}

/** The attributes known when a request arrives (stable HTTP semantic conventions). */
export function requestAttributes(request: IncomingMessage): Attributes {
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const attributes: Attributes = {
    'http.request.method': request.method ?? 'GET',
    'url.path': queryAt === -1 ? url : url.slice(0, queryAt),
    'url.scheme': 'http',
  };
  if (queryAt !== -1) attributes['url.query'] = url.slice(queryAt + 1);
  return Object.assign(attributes, cachedHostAttributes(request.headers.host));
}

/** Ends the SERVER span once the response is closed: status code, and ERROR for a 5xx. */
function endWithResponse(span: Span, response: ServerResponse): void {
  const status = response.statusCode;
  span.setAttribute('http.response.status_code', status);
  // A 5xx is an error of this server; keep the message a handler may have
  // set with it (setStatus would replace it).
  if (status >= 500 && (span as Partial<ReadableSpan>).status?.code !== SpanStatusCode.ERROR) {
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/**
 * Starts a SERVER span for every request of every `node:http` server of the
 * process (Fastify's included) and makes it the active span while the
 * request is handled. Returns a function that undoes it (for tests).
 */
export function traceIncomingRequests({ tracer, isIgnored }: ServerSpanOptions): () => void {
  // Typed loosely: the real one is a long list of overloads, one per event.
  const originalEmit = Server.prototype.emit as (
    this: Server,
    event: string | symbol,
    ...args: unknown[]
  ) => boolean;
  const untraced = suppressTracing(ROOT_CONTEXT);

  function emit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'request') return originalEmit.apply(this, [event, ...args]);
    const request = args[0] as IncomingMessage;
    const response = args[1] as ServerResponse;
    if (isIgnored(request)) return context.with(untraced, originalEmit, this, event, request, response);

    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(
      // Renamed `GET /route` once Fastify has matched the route (nameServerSpansByRoute).
      request.method ?? 'GET',
      { kind: SpanKind.SERVER, attributes: requestAttributes(request) },
      parent,
    );
    // 'close' comes once per response, also when the client went away first.
    response.on('close', () => endWithResponse(span, response));
    return context.with(trace.setSpan(parent, span), originalEmit, this, event, request, response);
  }

  Server.prototype.emit = emit as typeof Server.prototype.emit;
  return () => {
    if (Server.prototype.emit === emit) Server.prototype.emit = originalEmit as typeof Server.prototype.emit;
  };
}

const FASTIFY_CREATED = 'fastify.initialization';

/**
 * For every Fastify instance created from now on: the SERVER span of each
 * request that matches a route gets the route's pattern (`/items/:id`) as
 * `http.route` and in its name, also when its input is then refused (a 400).
 * A request that matches no route (a 404) keeps the name `GET`.
 *
 * One `onRequest` hook per route, added when the route is: it knows its
 * pattern, so it needs no `request.routeOptions` (which builds an object on
 * each read).
 */
export function nameServerSpansByRoute(): () => void {
  const onCreated = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRoute', (routeOptions) => {
      const route = routeOptions.url;
      if (route === undefined) return;
      const nameSpan: onRequestHookHandler = (request, _reply, done) => {
        const span = trace.getActiveSpan();
        if (span) {
          span.setAttribute('http.route', route);
          span.updateName(`${request.method} ${route}`);
        }
        done();
      };
      const own = routeOptions.onRequest;
      routeOptions.onRequest =
        own === undefined ? [nameSpan] : [nameSpan, ...(Array.isArray(own) ? own : [own])];
    });
  };
  subscribe(FASTIFY_CREATED, onCreated);
  return () => unsubscribe(FASTIFY_CREATED, onCreated);
}
