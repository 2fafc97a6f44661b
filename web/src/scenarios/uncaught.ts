/**
 * The "error after the answer" scenario: an exception nobody catches, thrown
 * while the user action is still in flight, after the API answered.
 */

/** What the scenario throws: its name is the exception.type the trace shows. */
export class AfterAnswerError extends Error {
  override name = 'AfterAnswerError';
}

export const AFTER_ANSWER_MESSAGE = 'The page failed to use the answer (a scenario: thrown on purpose)';

/**
 * Throws an AfterAnswerError from a timer, outside any try/catch, so the
 * browser reports it as uncaught; resolves in the next timer, after the
 * browser has dispatched its `error` event (timers of one delay run in order).
 */
export function throwUncaught(): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(() => {
      throw new AfterAnswerError(AFTER_ANSWER_MESSAGE);
    });
    setTimeout(resolve);
  });
}
