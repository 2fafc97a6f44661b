/**
 * `@fastify/otel`'s request span as the HTTP semantic conventions have a SERVER
 * span, for its `requestHook`. Upstream it is named `request`, keeps the query
 * string in url.path, has no url.scheme nor server.address, and its onError
 * hook sets ERROR for any error, a 400 included: a server's 4xx stays unset.
 */
import { SpanStatusCode, type Span, type SpanStatus } from '@opentelemetry/api';
import type { FastifyRequest } from 'fastify';

export function fastifyServerSpan(span: Span, request: FastifyRequest): void {
  const route = request.routeOptions.url;
  span.updateName(route === undefined ? request.method : `${request.method} ${route}`);
  span.setAttribute('url.scheme', request.protocol);
  span.setAttribute('server.address', request.hostname);
  if (request.port !== null) span.setAttribute('server.port', request.port);
  const queryAt = request.url.indexOf('?');
  if (queryAt !== -1) {
    span.setAttribute('url.path', request.url.slice(0, queryAt));
    span.setAttribute('url.query', request.url.slice(queryAt + 1));
  }
  // An ERROR waits for the status code, which @fastify/otel sets just before it
  // ends the span; the span API has no way to unset a status once set.
  const { setStatus, setAttributes } = span;
  let error: SpanStatus | undefined;
  span.setStatus = (status) => {
    if (status.code !== SpanStatusCode.ERROR) return setStatus.call(span, status);
    if (error?.message === undefined) error = status;
    return span;
  };
  span.setAttributes = (attributes) => {
    const code = attributes['http.response.status_code'];
    if (error && typeof code === 'number' && code >= 500) setStatus.call(span, error);
    return setAttributes.call(span, attributes);
  };
}
