/**
 * What the span of one Playwright test says about it: its name, its
 * attributes and its outcome, read from `TestInfo`. Pure, so the unit tests
 * build them from a plain object.
 *
 * Attribute names: the OpenTelemetry semantic conventions where they have
 * one (`test.case.*`, `test.suite.name`, `code.*`; the `test.*` ones are still
 * "development" status), `playwright.*` for what only Playwright has.
 */
import type { TestInfo } from '@playwright/test';

/** The `service.name` of test spans. */
export const TEST_SERVICE_NAME = 'e2e';

/** The parts of TestInfo a test span is built from. */
export type TestSpanInfo = Pick<
  TestInfo,
  | 'title'
  | 'titlePath'
  | 'file'
  | 'line'
  | 'testId'
  | 'retry'
  | 'project'
  | 'status'
  | 'expectedStatus'
  | 'errors'
>;

/** Attributes of a test span. */
export type TestSpanAttributes = Record<string, string | number>;

const TITLE_SEPARATOR = ' › ';
/** A status message stays a message: longer failure texts are in the span's exception events. */
const MAX_STATUS_MESSAGE = 1000;

/** Playwright colours its error messages for terminals; a span keeps the plain text. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex -- ESC starts every ANSI sequence.
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

/** The span's name: the test's describe blocks and title (the file is an attribute). */
export function testSpanName(info: Pick<TestInfo, 'titlePath'>): string {
  return info.titlePath.slice(1).join(TITLE_SEPARATOR) || info.titlePath.join(TITLE_SEPARATOR);
}

/** Attributes known when the test starts. */
export function testStartAttributes(info: TestSpanInfo): TestSpanAttributes {
  return {
    'test.case.name': info.titlePath.join(TITLE_SEPARATOR),
    'test.suite.name': info.titlePath.slice(0, -1).join(TITLE_SEPARATOR),
    'code.file.path': info.file,
    'code.line.number': info.line,
    'playwright.test.title': info.title,
    'playwright.test.id': info.testId,
    'playwright.project.name': info.project.name,
    'playwright.test.retry': info.retry,
  };
}

/** How a finished test went, as the span records it. */
export interface TestOutcome {
  attributes: TestSpanAttributes;
  /** Set when the outcome is not the expected one: the span's ERROR status message. */
  error?: string;
  /** The test's errors in full, for the span's exception events (empty unless `error` is set). */
  exceptions: { message: string; stack?: string }[];
}

/**
 * The outcome of a finished test (call from fixture teardown, when
 * `info.status` is known). A test that did what was expected of it (passed,
 * or failed under `test.fail()`) is `pass`; anything else but a skip is
 * `fail`, with the first error's message (or why it is unexpected) as error.
 */
export function testOutcome(info: TestSpanInfo): TestOutcome {
  const status = info.status ?? 'passed';
  const attributes: TestSpanAttributes = {
    'playwright.test.status': status,
    'playwright.test.expected_status': info.expectedStatus,
  };
  if (status === 'skipped') return { attributes, exceptions: [] };
  const expected = status === info.expectedStatus;
  attributes['test.case.result.status'] = expected ? 'pass' : 'fail';
  if (expected) return { attributes, exceptions: [] };
  const first = info.errors[0]?.message ?? info.errors[0]?.value;
  const message = first
    ? stripAnsi(first).trim()
    : `expected the test to be ${info.expectedStatus}, but it ${status}`;
  return {
    attributes,
    error: message.length > MAX_STATUS_MESSAGE ? `${message.slice(0, MAX_STATUS_MESSAGE)}…` : message,
    exceptions: info.errors.map((e) => ({
      message: stripAnsi(e.message ?? e.value ?? 'error'),
      ...(e.stack === undefined ? {} : { stack: stripAnsi(e.stack) }),
    })),
  };
}
