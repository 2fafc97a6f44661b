import { useId, useState } from 'react';
import { ActionButton } from '../components/ActionButton';
import { API_TIMEOUT_MS, MAX_BURST, MAX_DELAY_MS, parseBurstCount, parseDelayMs } from './scenario-inputs';
import type { RequestScenario } from './scenarios';
import { FAILURE_SCENARIOS } from './scenarios';

interface ScenarioActionsProps {
  disabled: boolean;
  /** Runs one of FAILURE_SCENARIOS. */
  onScenario: (scenario: RequestScenario) => Promise<void>;
  onSlow: (delayMs: number) => Promise<void>;
  onSequence: () => Promise<void>;
  onBurst: (count: number) => Promise<void>;
}

/**
 * Scenarios that show the pitfalls: each failure a trace can show, a slow
 * downstream, an action with an await, many actions at once.
 */
export function ScenarioActions({ disabled, onScenario, onSlow, onSequence, onBurst }: ScenarioActionsProps) {
  const [count, setCount] = useState('20');
  const [delay, setDelay] = useState('700');
  const countId = useId();
  const countHint = useId();
  const delayId = useId();
  const delayHint = useId();
  const burst = parseBurstCount(count);
  const slow = parseDelayMs(delay);

  return (
    <div className="card scenarios">
      <h2>Scenarios</h2>

      <h3>Failures</h3>
      <p className="hint">Each one is a trace too: see where it broke.</p>
      <div className="row">
        {FAILURE_SCENARIOS.map((scenario) => (
          <ActionButton
            key={scenario.testId}
            testId={scenario.testId}
            disabled={disabled}
            onRun={() => onScenario(scenario)}
          >
            {scenario.label}
          </ActionButton>
        ))}
      </div>

      <h3>Slow downstream</h3>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          if (!disabled && slow.ok) void onSlow(slow.value);
        }}
      >
        <label htmlFor={delayId}>Inventory delay (ms)</label>
        <input
          id={delayId}
          className="narrow"
          data-testid="slow-delay-ms"
          inputMode="numeric"
          autoComplete="off"
          size={6}
          value={delay}
          onChange={(event) => setDelay(event.target.value)}
          aria-invalid={!slow.ok}
          aria-describedby={delayHint}
        />
        <button type="submit" data-testid="slow-button" disabled={disabled || !slow.ok}>
          Slow GET /items/5
        </button>
        <small id={delayHint} className={slow.ok ? undefined : 'invalid'}>
          {slow.ok
            ? `0 to ${MAX_DELAY_MS} ms; over ${API_TIMEOUT_MS} ms the API gives up (504).`
            : slow.message}
        </small>
      </form>

      <h3>Concurrency</h3>
      <p className="hint">
        &ldquo;Two calls&rdquo; awaits <code>GET /</code>, then calls <code>GET /items/5</code>: both stay in
        the action&apos;s trace. A burst runs many actions at once, each its own trace.
      </p>
      <div className="row">
        <ActionButton testId="sequence-button" disabled={disabled} onRun={onSequence}>
          Two calls, one action
        </ActionButton>
      </div>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          if (!disabled && burst.ok) void onBurst(burst.value);
        }}
      >
        <label htmlFor={countId}>Actions</label>
        <input
          id={countId}
          className="narrow"
          data-testid="burst-count"
          inputMode="numeric"
          autoComplete="off"
          size={4}
          value={count}
          onChange={(event) => setCount(event.target.value)}
          aria-invalid={!burst.ok}
          aria-describedby={countHint}
        />
        <button type="submit" data-testid="burst-button" disabled={disabled || !burst.ok}>
          Burst
        </button>
        <small id={countHint} className={burst.ok ? undefined : 'invalid'}>
          {burst.ok ? `1 to ${MAX_BURST} parallel GET /items/{id}.` : burst.message}
        </small>
      </form>
    </div>
  );
}
