import { describe, expect, it } from 'vitest';
import { FAILURE_SCENARIOS, slowItemPath } from '../../src/scenarios/scenarios';

describe('the scenario list', () => {
  it('builds the scenario requests', () => {
    expect(FAILURE_SCENARIOS.map(({ action, path }) => [action, path])).toEqual([
      ['unknown item', '/items/9999'],
      ['invalid id', '/items/abc'],
      ['GET /boom', '/boom'],
      ['inventory failure', '/items/5?inventory_fail=true'],
    ]);
    expect(slowItemPath(700)).toBe('/items/5?inventory_delay_ms=700');
  });

  it('gives each button its own test id and each action its own name', () => {
    const testIds = FAILURE_SCENARIOS.map((scenario) => scenario.testId);
    const actions = FAILURE_SCENARIOS.map((scenario) => scenario.action);
    expect(new Set(testIds).size).toBe(testIds.length);
    expect(new Set(actions).size).toBe(actions.length);
    for (const testId of testIds) expect(testId).toMatch(/^[a-z-]+-button$/);
  });
});
