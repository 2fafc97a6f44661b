import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { alreadyReported, QuietExporter, quietErrorHandler } from '../src/quiet-exporter.ts';

/** Answers each export with the next scripted result. */
class FakeExporter implements SpanExporter {
  results: ExportResult[] = [];
  shutdown = vi.fn(() => Promise.resolve());
  forceFlush = vi.fn(() => Promise.resolve());
  export(_spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    done(this.results.shift() ?? { code: ExportResultCode.SUCCESS });
  }
}

const ok: ExportResult = { code: ExportResultCode.SUCCESS };
const failed = (message = '14 UNAVAILABLE: No connection established'): ExportResult => ({
  code: ExportResultCode.FAILED,
  error: new Error(message),
});

function setup() {
  const fake = new FakeExporter();
  const lines: string[] = [];
  const quiet = new QuietExporter(fake, {
    endpoint: 'http://127.0.0.1:4317',
    warn: (line) => lines.push(line),
  });
  const results: ExportResult[] = [];
  const run = (...scripted: ExportResult[]) => {
    fake.results.push(...scripted);
    for (let i = 0; i < scripted.length; i++) quiet.export([], (result) => results.push(result));
  };
  return { fake, quiet, lines, results, run };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('QuietExporter', () => {
  it('warns once, in one line naming the endpoint and the error, at the first failure', () => {
    const { quiet, lines, run } = setup();
    run(ok, failed());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('http://127.0.0.1:4317');
    expect(lines[0]).toContain('14 UNAVAILABLE: No connection established');
    expect(lines[0]).not.toContain('\n');
    expect(quiet.failing).toBe(true);
  });

  it('stays silent on repeated failures', () => {
    const { lines, run, results } = setup();
    run(failed(), failed(), failed('another'), failed());
    expect(lines).toHaveLength(1);
    // The results still reach the processor, failed.
    expect(results.map((result) => result.code)).toEqual(Array(4).fill(ExportResultCode.FAILED));
  });

  it('logs one line when exports succeed again, none for later successes', () => {
    const { quiet, lines, run } = setup();
    run(failed(), failed(), ok, ok);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/http:\/\/127\.0\.0\.1:4317 works again/);
    expect(quiet.failing).toBe(false);
  });

  it('warns again at a second outage', () => {
    const { lines, run } = setup();
    run(failed('first'), ok, failed('second'), failed());
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('first');
    expect(lines[2]).toContain('second');
  });

  it('says nothing while exports succeed', () => {
    const { lines, run } = setup();
    run(ok, ok, ok);
    expect(lines).toEqual([]);
  });

  it('marks every failure it handled, so the global error handler drops it; a failure without an error gets one', () => {
    const { run, results } = setup();
    run(failed(), { code: ExportResultCode.FAILED });
    expect(results[1]?.error).toBeInstanceOf(Error);
    for (const result of results) expect(alreadyReported(result.error)).toBe(true);
    const logged = vi.spyOn(diag, 'error').mockImplementation(() => {});
    for (const result of results) quietErrorHandler(result.error);
    expect(logged).not.toHaveBeenCalled();
    quietErrorHandler(new Error('something else'));
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged.mock.calls[0]?.[0]).toContain('something else');
  });

  it('delegates shutdown and forceFlush', async () => {
    const { fake, quiet } = setup();
    await quiet.forceFlush();
    await quiet.shutdown();
    expect(fake.forceFlush).toHaveBeenCalledOnce();
    expect(fake.shutdown).toHaveBeenCalledOnce();
  });
});
