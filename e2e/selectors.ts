/** Span selectors shared by the specs: the spans one click produces. */
import type { SpanSelector } from '@tracing-demo/trace-assert';

export const userAction: SpanSelector = { service: 'web', kind: 'INTERNAL', name: /^user_action / };
export const browserFetch: SpanSelector = { service: 'web', kind: 'CLIENT' };
export const apiServer: SpanSelector = { service: 'api', kind: 'SERVER' };

/** The @fastify/otel handler span of a route. */
export const apiHandler = (route: string): SpanSelector => ({
  service: 'api',
  name: /^handler - /,
  attributes: { 'http.route': route },
});

/** The API's SERVER span of a route. */
export const apiServerFor = (route: string): SpanSelector => ({
  ...apiServer,
  attributes: { 'http.route': route },
});
