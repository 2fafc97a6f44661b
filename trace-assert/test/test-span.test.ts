import { describe, expect, it } from 'vitest';
import { testOutcome, testSpanName, testStartAttributes, type TestSpanInfo } from '../src/test-span.ts';

function info(overrides: Partial<TestSpanInfo> = {}): TestSpanInfo {
  return {
    title: 'one click, one trace',
    titlePath: ['whole-path.spec.ts', 'GET /', 'one click, one trace'],
    file: '/repo/e2e/whole-path.spec.ts',
    line: 12,
    testId: 'abc123',
    retry: 1,
    project: { name: 'traces' } as TestSpanInfo['project'],
    status: 'passed',
    expectedStatus: 'passed',
    errors: [],
    ...overrides,
  };
}

describe('test span', () => {
  it('is named after its describe blocks and title, and says where it is', () => {
    expect(testSpanName(info())).toBe('GET / › one click, one trace');
    expect(testSpanName(info({ titlePath: ['a.spec.ts'] }))).toBe('a.spec.ts');
    expect(testStartAttributes(info())).toEqual({
      'test.case.name': 'whole-path.spec.ts › GET / › one click, one trace',
      'test.suite.name': 'whole-path.spec.ts › GET /',
      'code.file.path': '/repo/e2e/whole-path.spec.ts',
      'code.line.number': 12,
      'playwright.test.title': 'one click, one trace',
      'playwright.test.id': 'abc123',
      'playwright.project.name': 'traces',
      'playwright.test.retry': 1,
    });
  });

  it('passes as expected: no error', () => {
    expect(testOutcome(info())).toEqual({
      attributes: {
        'playwright.test.status': 'passed',
        'playwright.test.expected_status': 'passed',
        'test.case.result.status': 'pass',
      },
      exceptions: [],
    });
    expect(testOutcome(info({ status: 'failed', expectedStatus: 'failed' })).error).toBeUndefined();
  });

  it('fails: the first error as plain text, every error as an exception', () => {
    const outcome = testOutcome(
      info({
        status: 'failed',
        errors: [
          {
            message: '\u001b[31mexpect(received).toBe(expected)\u001b[39m\n\nExpected: 2',
            stack: 'Error: at x',
          },
          { value: 'thrown string' },
        ],
      }),
    );
    expect(outcome.error).toBe('expect(received).toBe(expected)\n\nExpected: 2');
    expect(outcome.attributes['test.case.result.status']).toBe('fail');
    expect(outcome.exceptions).toEqual([
      { message: 'expect(received).toBe(expected)\n\nExpected: 2', stack: 'Error: at x' },
      { message: 'thrown string' },
    ]);
  });

  it('a timeout, or an expected failure that passed, is an error too; a long message is cut', () => {
    expect(
      testOutcome(info({ status: 'timedOut', errors: [{ message: 'Test timeout of 30000ms exceeded.' }] }))
        .error,
    ).toBe('Test timeout of 30000ms exceeded.');
    expect(testOutcome(info({ status: 'passed', expectedStatus: 'failed' })).error).toBe(
      'expected the test to be failed, but it passed',
    );
    expect(
      testOutcome(info({ status: 'failed', errors: [{ message: 'x'.repeat(5000) }] })).error,
    ).toHaveLength(1001);
  });

  it('a skipped test has no result status and no error', () => {
    expect(testOutcome(info({ status: 'skipped', expectedStatus: 'skipped' }))).toEqual({
      attributes: { 'playwright.test.status': 'skipped', 'playwright.test.expected_status': 'skipped' },
      exceptions: [],
    });
  });
});
