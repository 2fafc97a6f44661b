import type { ReactNode } from 'react';
import { useEffect, useRef } from 'react';
import { RESULT_TITLE_ID } from './ResultPanel';

interface ResultColumnProps {
  /** Name of the action in flight, if any. */
  pending: string | null;
  children: ReactNode;
}

/** Whether the top of `element` is in the upper half of the viewport, where a reader looks first. */
function topInView(element: Element): boolean {
  const { top } = element.getBoundingClientRect();
  return top >= 0 && top <= window.innerHeight / 2;
}

/**
 * The last action's result and trace. Beside the controls and sticky on a
 * wide screen (App.css), so always in view; below them on a narrow one,
 * where it is scrolled into view when an action ends. Then the result's
 * heading takes the focus the disabled button dropped, but never a focus the
 * user moved elsewhere meanwhile (say, into a form while a burst runs).
 */
export function ResultColumn({ pending, children }: ResultColumnProps) {
  const column = useRef<HTMLDivElement>(null);
  const wasPending = useRef(false);

  useEffect(() => {
    if (pending !== null) {
      wasPending.current = true;
      return;
    }
    // Once per action, when it ends; not on the first render.
    if (!wasPending.current) return;
    wasPending.current = false;
    const focusLost = document.activeElement === null || document.activeElement === document.body;
    if (focusLost) document.getElementById(RESULT_TITLE_ID)?.focus({ preventScroll: true });
    const element = column.current;
    if (element === null || topInView(element)) return;
    const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    element.scrollIntoView({ block: 'start', behavior: reduceMotion ? 'auto' : 'smooth' });
  }, [pending]);

  return (
    <div className="results" ref={column}>
      {children}
    </div>
  );
}
