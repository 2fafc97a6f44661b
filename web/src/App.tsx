import { useState } from 'react';
import { SpanStatusCode } from '@opentelemetry/api';
import { appConfig } from './config';
import { runUserAction } from './user-action';
import type { Outcome } from './outcome';
import { failureOutcome, responseOutcome } from './outcome';
import { itemPath } from './paths';
import { RootAction } from './components/RootAction';
import { ItemForm } from './components/ItemForm';
import { ResultPanel } from './components/ResultPanel';

export default function App() {
  /** Name of the action in flight, if any: every control is disabled meanwhile. */
  const [pending, setPending] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  /** Runs one API call as a user action (its own trace) and shows the outcome. */
  async function run(action: string, path: string): Promise<void> {
    setPending(action);
    try {
      const { result } = await runUserAction(action, async ({ fetch, span }) => {
        const response = await fetch(path);
        const next = responseOutcome(action, response, span.spanContext().traceId);
        // A non-2xx answer is a failed user action, though not an exception.
        if (next.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: next.error });
        return next;
      });
      setOutcome(result);
    } catch (error) {
      setOutcome(failureOutcome(action, error));
    } finally {
      setPending(null);
    }
  }

  const busy = pending !== null;
  return (
    <main className="app">
      <header>
        <h1>Browser → API → Collector → Jaeger</h1>
        <p className="lede">
          Each control is one user action: a span of the page (service <code>{appConfig.serviceName}</code>),
          the API&apos;s spans under it, and one trace to open in Jaeger.
        </p>
      </header>

      <section className="actions" aria-label="API routes">
        <RootAction disabled={busy} onRun={() => run('GET /', '/')} />
        <ItemForm disabled={busy} onRun={(id, q) => run('GET /items/{id}', itemPath(id, q))} />
      </section>

      <ResultPanel pending={pending} outcome={outcome} jaegerUrl={appConfig.jaegerUrl} />

      <footer>
        API <code>{appConfig.apiUrl}</code> · spans to <code>{appConfig.otlpTracesUrl}</code>
      </footer>
    </main>
  );
}
