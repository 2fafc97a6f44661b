import type { ReactNode } from 'react';

interface ActionButtonProps {
  /** `data-testid`, for the end-to-end specs. */
  testId: string;
  disabled: boolean;
  /** The user action; App turns every failure into an outcome, so it never rejects. */
  onRun: () => Promise<void>;
  children: ReactNode;
}

/** A button that runs one user action when clicked. */
export function ActionButton({ testId, disabled, onRun, children }: ActionButtonProps) {
  return (
    <button type="button" data-testid={testId} disabled={disabled} onClick={() => void onRun()}>
      {children}
    </button>
  );
}
