#!/usr/bin/env node
// Fails when the lockfile holds more than one version of a package that must
// be unique. Two copies of @opentelemetry/api mean two global context
// registries: spans made through one never see the context of the other, and
// the trace silently breaks in two.
import { readFileSync } from 'node:fs';

const MUST_BE_UNIQUE = ['@opentelemetry/api', '@opentelemetry/core', '@opentelemetry/instrumentation'];

/** Versions of `name` listed in the `packages:` section of a pnpm lockfile. */
export function lockedVersions(lockfile, name) {
  const pattern = new RegExp(`^  '?${name.replace(/[/.]/g, '\\$&')}@([^'(:]+)'?:`, 'gm');
  return [...new Set([...lockfile.matchAll(pattern)].map((match) => match[1]))];
}

/** One line per package that is locked at more than one version. */
export function duplicates(lockfile, names = MUST_BE_UNIQUE) {
  return names
    .map((name) => [name, lockedVersions(lockfile, name)])
    .filter(([, versions]) => versions.length !== 1)
    .map(([name, versions]) => `${name}: ${versions.length === 0 ? 'not found' : versions.join(', ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = duplicates(readFileSync(new URL('../pnpm-lock.yaml', import.meta.url), 'utf8'));
  if (problems.length > 0) {
    console.error(
      `Exactly one version of each is required (see pnpm-workspace.yaml overrides):\n  ${problems.join('\n  ')}`,
    );
    process.exit(1);
  }
  console.log(`One copy each of ${MUST_BE_UNIQUE.join(', ')}.`);
}
