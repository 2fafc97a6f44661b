import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a zero-dependency .mjs script without type declarations
import { duplicates } from '../check-otel-copies.mjs';

const lockfile = (...keys: string[]) =>
  `lockfileVersion: '9.0'\n\npackages:\n\n${keys.map((k) => `  '${k}':\n    resolution: {}\n`).join('\n')}`;

describe('check-otel-copies', () => {
  it('accepts exactly one version of each', () => {
    const text = lockfile(
      '@opentelemetry/api@1.9.1',
      '@opentelemetry/core@2.11.0',
      '@opentelemetry/instrumentation@0.222.0',
    );
    expect(duplicates(text)).toEqual([]);
  });

  it('rejects a second @opentelemetry/api', () => {
    const text = lockfile(
      '@opentelemetry/api@1.9.1',
      '@opentelemetry/api@1.9.0',
      '@opentelemetry/core@2.11.0',
      '@opentelemetry/instrumentation@0.222.0',
    );
    expect(duplicates(text)).toEqual(['@opentelemetry/api: 1.9.1, 1.9.0']);
  });

  it('rejects a lockfile without the API at all', () => {
    expect(duplicates(lockfile('@opentelemetry/core@2.11.0'), ['@opentelemetry/api'])).toEqual([
      '@opentelemetry/api: not found',
    ]);
  });
});
