import type { ReactNode } from 'react';
import { useId, useState } from 'react';
import { ActionButton } from '../components/ActionButton';
import { API_TIMEOUT_MS, MAX_BURST, MAX_DELAY_MS, parseBurstCount, parseDelayMs } from './scenario-inputs';
import type { Parsed } from './scenario-inputs';
import type { RequestScenario } from './scenarios';
import { FAILURE_SCENARIOS } from './scenarios';

interface ScenarioActionsProps {
  disabled: boolean;
  /** Runs one of FAILURE_SCENARIOS. */
  onScenario: (scenario: RequestScenario) => Promise<void>;
  onSlow: (delayMs: number) => Promise<void>;
  onSequence: () => Promise<void>;
  /** GET /, then an exception nobody catches, while the action is in flight. */
  onUncaught: () => Promise<void>;
  onBurst: (count: number) => Promise<void>;
}

/**
 * Scenarios that show the pitfalls: each failure a trace can show, a slow
 * downstream, an action with an await, many actions at once.
 */
export function ScenarioActions({
  disabled,
  onScenario,
  onSlow,
  onSequence,
  onUncaught,
  onBurst,
}: ScenarioActionsProps) {
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

      <p className="hint">
        &ldquo;Error after the answer&rdquo; calls <code>GET /</code>, then throws an exception nobody
        catches: the page records it on the action&apos;s span, in the same trace as the API&apos;s.
      </p>
      <div className="row">
        <ActionButton testId="uncaught-error-button" disabled={disabled} onRun={onUncaught}>
          Error after the answer
        </ActionButton>
      </div>

      <h3>Slow downstream</h3>
      <NumberActionForm
        label="Inventory delay (ms)"
        testIdPrefix="slow"
        inputTestId="slow-delay-ms"
        size={6}
        initial="700"
        parse={parseDelayMs}
        hint={`0 to ${MAX_DELAY_MS} ms; over ${API_TIMEOUT_MS} ms the API gives up (504).`}
        disabled={disabled}
        onRun={onSlow}
      >
        Slow GET /items/5
      </NumberActionForm>

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
      <NumberActionForm
        label="Actions"
        testIdPrefix="burst"
        inputTestId="burst-count"
        size={4}
        initial="20"
        parse={parseBurstCount}
        hint={`1 to ${MAX_BURST} parallel GET /items/{id}.`}
        disabled={disabled}
        onRun={onBurst}
      >
        Burst
      </NumberActionForm>
    </div>
  );
}

interface NumberActionFormProps {
  label: string;
  /** The submit button's test id is `<prefix>-button`. */
  testIdPrefix: string;
  inputTestId: string;
  size: number;
  initial: string;
  parse: (text: string) => Parsed;
  /** Shown while the input is valid; the parser's message replaces it otherwise. */
  hint: string;
  disabled: boolean;
  onRun: (value: number) => Promise<void>;
  children: ReactNode;
}

/** One number input and its submit button: the action runs only with a valid value. */
function NumberActionForm({
  label,
  testIdPrefix,
  inputTestId,
  size,
  initial,
  parse,
  hint,
  disabled,
  onRun,
  children,
}: NumberActionFormProps) {
  const [text, setText] = useState(initial);
  const inputId = useId();
  const hintId = useId();
  const parsed = parse(text);
  return (
    <form
      className="row"
      onSubmit={(event) => {
        event.preventDefault();
        if (!disabled && parsed.ok) void onRun(parsed.value);
      }}
    >
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        className="narrow"
        data-testid={inputTestId}
        inputMode="numeric"
        autoComplete="off"
        size={size}
        value={text}
        onChange={(event) => setText(event.target.value)}
        aria-invalid={!parsed.ok}
        aria-describedby={hintId}
      />
      <button type="submit" data-testid={`${testIdPrefix}-button`} disabled={disabled || !parsed.ok}>
        {children}
      </button>
      <small id={hintId} className={parsed.ok ? undefined : 'invalid'}>
        {parsed.ok ? hint : parsed.message}
      </small>
    </form>
  );
}
