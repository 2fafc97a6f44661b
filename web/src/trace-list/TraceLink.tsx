import type { JaegerUiKind } from '@tracing-demo/contracts';
import { traceLinkTarget } from './trace-link';

interface TraceLinkProps {
  traceId: string;
  jaegerUrl: string;
  /** What Jaeger serves at its UI root (`GET /status`); undefined until known. */
  jaegerUi: JaegerUiKind | undefined;
  /** The link's text, e.g. "Open trace": " in Jaeger" or " in the trace list" follows. */
  text: string;
  testId: string;
}

/**
 * "Open trace in Jaeger" where Jaeger serves its UI (a new tab), "Open trace
 * in the trace list" where it does not (this page, in place): see trace-link.ts.
 */
export function TraceLink({ traceId, jaegerUrl, jaegerUi, text, testId }: TraceLinkProps) {
  const { href, inJaeger } = traceLinkTarget(traceId, jaegerUrl, jaegerUi);
  return inJaeger ? (
    <a data-testid={testId} data-target="jaeger" href={href} target="_blank" rel="noreferrer">
      {text} in Jaeger
    </a>
  ) : (
    <a data-testid={testId} data-target="trace-list" href={href}>
      {text} in the trace list
    </a>
  );
}
