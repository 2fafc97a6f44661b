/**
 * The package as published: its manifest points at what the build writes,
 * and its README documents the whole public API. (e2e/trace-assert-package.spec.ts
 * packs, installs and runs it for real.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as publicApi from '../src/index.ts';
import { traceMatchers } from '../src/matchers.ts';

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

interface Manifest {
  version: string;
  license: string;
  private?: boolean;
  files: string[];
  exports: Record<string, string>;
  publishConfig: { exports: Record<string, { types: string; default: string }> };
  peerDependencies: Record<string, string>;
  dependencies: Record<string, string>;
}
const manifest = JSON.parse(read('package.json')) as Manifest;
const buildConfig = JSON.parse(
  read('tsconfig.build.json').replace(/^\s*\/\/.*$/gm, ''), // its comments
) as { compilerOptions: { outDir: string; rootDir: string } };
const readme = read('README.md');

describe('the published manifest', () => {
  it('is publishable: a version, a licence, not private', () => {
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.license).toBe('Apache-2.0');
    expect(manifest.private).toBeUndefined();
  });

  it('exports only the entry point, built: the JavaScript and the types tsc writes for src/index.ts', () => {
    const { outDir, rootDir } = buildConfig.compilerOptions;
    expect(manifest.exports['.']).toBe(`./${rootDir}/index.ts`);
    expect(manifest.publishConfig.exports).toEqual({
      '.': { types: `./${outDir}/index.d.ts`, default: `./${outDir}/index.js` },
    });
    // src too: the declaration maps lead an editor's "go to definition" there (and pnpm deploy copies it).
    expect(manifest.files).toEqual([outDir, rootDir]);
  });

  it('leaves Playwright and the OpenTelemetry API to the user (peers), never as dependencies', () => {
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['@opentelemetry/api', '@playwright/test']);
    for (const peer of Object.keys(manifest.peerDependencies))
      expect(manifest.dependencies).not.toHaveProperty(peer);
  });
});

describe('the README', () => {
  it('lists every value of the public API', () => {
    const section = readme.slice(readme.indexOf('## Public API'));
    for (const name of Object.keys(publicApi)) expect(section, name).toContain(`\`${name}\``);
  });

  it('shows each matcher in an example', () => {
    for (const matcher of Object.keys(traceMatchers)) {
      expect(readme, matcher).toMatch(new RegExp(`expect\\(trace\\)(\\.not)?\\.${matcher}\\(`));
    }
  });
});
