import { ActionButton } from './ActionButton';

interface RootActionProps {
  disabled: boolean;
  onRun: () => Promise<void>;
}

/** GET / — the API answers {"Hello":"World"}. */
export function RootAction({ disabled, onRun }: RootActionProps) {
  return (
    <div className="card">
      <h2>Root</h2>
      <p className="hint">
        <code>GET /</code> answers <code>{'{"Hello":"World"}'}</code>.
      </p>
      <ActionButton testId="root-button" disabled={disabled} onRun={onRun}>
        GET /
      </ActionButton>
    </div>
  );
}
