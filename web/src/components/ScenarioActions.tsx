import { useId, useState } from 'react';

interface ScenarioActionsProps {
  disabled: boolean;
  onServerError: () => Promise<void>;
  onSequence: () => Promise<void>;
  onBurst: (count: number) => Promise<void>;
}

const MAX_BURST = 50;

/** Scenarios that show the pitfalls: a 5xx, an action with an await, many actions at once. */
export function ScenarioActions({ disabled, onServerError, onSequence, onBurst }: ScenarioActionsProps) {
  const [count, setCount] = useState('20');
  const countId = useId();
  const parsed = Number(count);
  const validCount = Number.isInteger(parsed) && parsed >= 1 && parsed <= MAX_BURST;
  return (
    <div className="card">
      <h2>Scenarios</h2>
      <p className="hint">
        <code>GET /boom</code> fails on purpose. &ldquo;Two calls&rdquo; awaits <code>GET /</code>, then calls{' '}
        <code>GET /items/5</code>: both stay in the action&apos;s trace. A burst runs many actions at once,
        each its own trace.
      </p>
      <div className="row">
        <button
          type="button"
          data-testid="boom-button"
          disabled={disabled}
          onClick={() => void onServerError()}
        >
          GET /boom
        </button>
        <button
          type="button"
          data-testid="sequence-button"
          disabled={disabled}
          onClick={() => void onSequence()}
        >
          Two calls, one action
        </button>
      </div>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          if (validCount) void onBurst(parsed);
        }}
      >
        <label htmlFor={countId}>Actions</label>
        <input
          id={countId}
          data-testid="burst-count"
          inputMode="numeric"
          size={4}
          value={count}
          onChange={(event) => setCount(event.target.value)}
          aria-invalid={!validCount}
        />
        <button type="submit" data-testid="burst-button" disabled={disabled || !validCount}>
          Burst
        </button>
      </form>
    </div>
  );
}
