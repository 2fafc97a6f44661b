/** Span selectors shared by the specs: the spans one click produces. */
import type { SpanSelector } from '@tracing-demo/trace-assert';

export const userAction: SpanSelector = { service: 'web', kind: 'INTERNAL', name: /^user_action / };
export const browserFetch: SpanSelector = { service: 'web', kind: 'CLIENT' };
export const apiServer: SpanSelector = { service: 'api', kind: 'SERVER' };

/**
 * The API's SERVER span of a route: the one span the API makes per request
 * (it took over what @fastify/otel's `request` and `handler - …` spans
 * carried: http.route, the handler's attributes and exception events).
 */
export const apiServerFor = (route: string): SpanSelector => ({
  ...apiServer,
  attributes: { 'http.route': route },
});

/** The API's outgoing call to the inventory (undici instrumentation). */
export const apiClient: SpanSelector = { service: 'api', kind: 'CLIENT' };
export const inventoryServer: SpanSelector = { service: 'inventory', kind: 'SERVER' };
/** The inventory's SQLite query. */
export const inventoryDb: SpanSelector = {
  service: 'inventory',
  kind: 'CLIENT',
  attributes: { 'db.system.name': 'sqlite' },
};

/**
 * The page's test ids (data-testid) for its scenario controls, the status
 * strip and the waterfall. The original ones (root-button, item-*, boom-button,
 * sequence-button, burst-*, result-*, trace-id, server-trace-id, jaeger-link,
 * error-message) keep their names and meaning.
 */
export const testIds = {
  /** The status strip's session id. */
  statusSessionId: 'status-session-id',
  /** Scenario controls (each one user action, one trace). */
  unknownItemButton: 'unknown-item-button',
  invalidIdButton: 'invalid-id-button',
  inventoryFailButton: 'inventory-fail-button',
  /** GET /, then an exception nobody catches while the action is in flight. */
  uncaughtErrorButton: 'uncaught-error-button',
  /** Input: the inventory delay in ms (0..10000) for the slow-downstream scenario. */
  slowDelayMs: 'slow-delay-ms',
  slowButton: 'slow-button',
  /** The section that loads and draws the last action's trace: `data-state`, `data-trace-id`. */
  tracePanel: 'trace-panel',
  /** Its one-line state ("Waiting for the complete trace…", or why it cannot be drawn). */
  traceStatus: 'trace-status',
  /** "Try again" / "Check again" / "Load anyway", when offered. */
  traceRetry: 'trace-retry',
  /** The trace id the waterfall is for, and its Jaeger link (also for a burst). */
  waterfallTraceId: 'waterfall-trace-id',
  traceJaegerLink: 'trace-jaeger-link',
  /** The drawn waterfall: `data-trace-id`, `data-complete="true|false"`, `data-span-count`. */
  waterfall: 'waterfall',
  /** One per span: `data-span-id`, `data-service`, `data-depth`, `data-error="true|false"`; a button. */
  waterfallRow: 'waterfall-row',
  /** Details of the selected row (`data-span-id` once one is selected). */
  spanDetails: 'span-details',
  /** The status strip; each part has `data-reachable="true|false|unknown"`. */
  statusStrip: 'status-strip',
  statusCollector: 'status-collector',
  statusJaeger: 'status-jaeger',
  statusInventory: 'status-inventory',
  /** Shown when GET /status itself failed. */
  statusError: 'status-error',
} as const;

/**
 * `data-state` of the trace panel: idle (no action yet), blocked (the status
 * strip says the Collector or Jaeger is down: not asked), loading, loaded
 * (drawn; see the waterfall's data-complete), not-found (404), unavailable
 * (503), timeout, failed.
 */
export type TracePanelState =
  'idle' | 'blocked' | 'loading' | 'loaded' | 'not-found' | 'unavailable' | 'timeout' | 'failed';
