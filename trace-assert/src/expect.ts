/**
 * Playwright's `expect` extended with the trace matchers, so that
 * `expect(trace).toHaveSpan(…)` type-checks without declaration merging.
 * This is Playwright's documented way to ship custom matchers
 * (https://playwright.dev/docs/test-assertions#add-custom-matchers-using-expectextend).
 */
import { expect as baseExpect } from '@playwright/test';
import { traceMatchers } from './matchers.ts';

/** `expect` from @playwright/test plus {@link traceMatchers}. Combine with others via `mergeExpects`. */
export const expect = baseExpect.extend(traceMatchers);
