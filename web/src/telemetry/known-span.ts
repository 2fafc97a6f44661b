/**
 * A span the page knows is in its action's trace, and what it is: the trace
 * panel waits for every one of them before it calls the trace complete, and
 * names those that never arrive. runUserAction (user-action.ts) collects them.
 */
export interface KnownSpan {
  spanId: string;
  what: string;
}
