/**
 * The scenario controls that make one request each, as data: the page draws
 * one button per entry (ScenarioActions.tsx), and each click is a user action
 * with its own trace. Pure: unit-tested in test/scenarios/scenarios.test.ts.
 */
import { itemPath } from '../api/paths';

/** An item that exists (1..100) for the scenarios that need one. */
export const SCENARIO_ITEM = '5';

export interface RequestScenario {
  /** `data-testid` of its button: the end-to-end specs click it by this id. */
  readonly testId: string;
  /** The button's text. */
  readonly label: string;
  /** The user action's name: the root span of its trace is `user_action <action>`. */
  readonly action: string;
  /** The API request it makes. */
  readonly path: string;
}

/** Each failure a trace can show, one button each, in the order the page shows them. */
export const FAILURE_SCENARIOS: readonly RequestScenario[] = [
  // An id the API validates (digits) but the inventory does not hold: its 404, passed on.
  {
    testId: 'unknown-item-button',
    label: 'Unknown item (404)',
    action: 'unknown item',
    path: itemPath('9999', ''),
  },
  // An id the API's validation refuses: a 400 that never reaches the inventory.
  { testId: 'invalid-id-button', label: 'Invalid id (400)', action: 'invalid id', path: itemPath('abc', '') },
  // Fails on purpose: an ERROR span with an exception event.
  { testId: 'boom-button', label: 'GET /boom (500)', action: 'GET /boom', path: '/boom' },
  // The inventory told to fail: the API answers 502.
  {
    testId: 'inventory-fail-button',
    label: 'Inventory failure (502)',
    action: 'inventory failure',
    path: `${itemPath(SCENARIO_ITEM, '')}?inventory_fail=true`,
  },
];

/** GET /items/5 with the inventory told to wait `delayMs` before answering. */
export function slowItemPath(delayMs: number): string {
  return `${itemPath(SCENARIO_ITEM, '')}?inventory_delay_ms=${encodeURIComponent(String(delayMs))}`;
}
