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
      <button type="button" data-testid="root-button" disabled={disabled} onClick={() => void onRun()}>
        GET /
      </button>
    </div>
  );
}
