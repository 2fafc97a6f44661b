import type { StatusLoad } from '../api/status-client';
import { SESSION_INACTIVITY_SECONDS } from '../telemetry/session-id';

interface StatusStripProps {
  /** The last answer of GET /status; undefined before the first one. */
  status: StatusLoad | undefined;
  /** The tracing session's id (session.id on every span of the page), once tracing has started. */
  sessionId: string | undefined;
}

const PARTS: { key: 'collector' | 'jaeger' | 'inventory'; label: string; testId: string }[] = [
  { key: 'collector', label: 'Collector', testId: 'status-collector' },
  { key: 'jaeger', label: 'Jaeger', testId: 'status-jaeger' },
  { key: 'inventory', label: 'Inventory', testId: 'status-inventory' },
];

/**
 * Whether the Collector, Jaeger and the inventory are reachable, as the API
 * sees them. In words and a symbol, not colour alone; `data-reachable` is
 * "true", "false", or "unknown" (not asked yet, or GET /status failed).
 */
export function StatusStrip({ status, sessionId }: StatusStripProps) {
  return (
    <section className="status-strip" data-testid="status-strip" aria-label="Stack status">
      <ul aria-live="polite">
        {PARTS.map(({ key, label, testId }) => {
          const part = status?.kind === 'loaded' ? status.status[key] : undefined;
          const reachable = part === undefined ? 'unknown' : String(part.reachable);
          const text =
            status === undefined
              ? 'checking…'
              : reachable === 'true'
                ? 'reachable'
                : reachable === 'false'
                  ? 'unreachable'
                  : 'unknown';
          return (
            <li
              key={key}
              className={`status-part is-${reachable}`}
              data-testid={testId}
              data-reachable={reachable}
              title={part?.url ? `Checked ${part.url}` : undefined}
            >
              <span className="status-icon" aria-hidden="true">
                {reachable === 'true' ? '●' : reachable === 'false' ? '✕' : '?'}
              </span>{' '}
              {label}: <strong>{text}</strong>
            </li>
          );
        })}
      </ul>
      {sessionId !== undefined && (
        <p className="status-session hint">
          Session <code data-testid="status-session-id">{sessionId}</code>: on every span of this tab until{' '}
          {SESSION_INACTIVITY_SECONDS / 60} minutes without one.
        </p>
      )}
      {status?.kind === 'loaded' && status.status.sampling.topology === 'gateway' && (
        <p className="status-sampling" data-testid="status-sampling">
          Tail sampling is on (gateway Collectors): a trace is kept if it has an error, takes over{' '}
          {status.status.sampling.latencyMs} ms, or falls in the {status.status.sampling.percent} % kept of
          the rest. Any other trace never reaches Jaeger, so its waterfall may not appear.
        </p>
      )}
      {status?.kind === 'failed' && (
        <p className="status-failure" data-testid="status-error">
          Stack status unknown: {status.message}
        </p>
      )}
    </section>
  );
}
