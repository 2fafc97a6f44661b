/**
 * `npm run bench:e2e [-- --runs N] [--project traces|faults]`: runs the Playwright suite N times
 * (a benchmark, not a test: it prints figures and never fails on time) and
 * prints the wall time of each run, and for every action the delay from the
 * response reaching the page to the complete trace being queryable in Jaeger
 * (recorded by the `traceOf` fixture as a test annotation).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
// The statistics of `npm run bench`, so both reports compute percentiles alike.
import { percentile } from '../bench/src/stats.ts';
import { TRACE_COMPLETE_ANNOTATION } from './fixtures.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = `${ROOT}bench-results`;

interface JsonTest {
  results: { duration: number; status: string; annotations?: { type: string; description?: string }[] }[];
}
interface JsonSpec {
  title: string;
  tests: JsonTest[];
}
interface JsonSuite {
  title: string;
  specs?: JsonSpec[];
  suites?: JsonSuite[];
}
interface JsonReport {
  suites: JsonSuite[];
  stats: { duration: number; expected: number; unexpected: number; flaky: number; skipped: number };
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

function* specs(suite: JsonSuite, prefix = ''): Generator<[string, JsonSpec]> {
  const title = suite.title && !suite.title.endsWith('.ts') ? `${prefix}${suite.title} › ` : prefix;
  for (const spec of suite.specs ?? []) yield [`${title}${spec.title}`, spec];
  for (const child of suite.suites ?? []) yield* specs(child, title);
}

const runs = argument('runs', 3);
// The trace scenarios by default; `--project faults` times the fault specs.
const projectIndex = process.argv.indexOf('--project');
const project = (projectIndex >= 0 && process.argv[projectIndex + 1]) || 'traces';
const walls: number[] = [];
const testTimes: number[] = [];
const delays = new Map<string, number[]>();
let failures = 0;

for (let run = 1; run <= runs; run += 1) {
  console.log(`run ${run}/${runs}: playwright test…`);
  const started = performance.now();
  const result = spawnSync(
    `${ROOT}node_modules/.bin/playwright`,
    ['test', '--reporter=json', `--project=${project}`],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  walls.push(performance.now() - started);
  if (!result.stdout.trim().startsWith('{')) {
    console.error(result.stderr || result.error?.message);
    throw new Error(
      `run ${run}: Playwright produced no JSON report (exit ${result.status}); its output is above.`,
    );
  }
  const report = JSON.parse(result.stdout) as JsonReport;
  failures += report.stats.unexpected;
  let sum = 0;
  for (const suite of report.suites) {
    for (const [title, spec] of specs(suite)) {
      for (const test of spec.tests) {
        for (const outcome of test.results) {
          sum += outcome.duration;
          for (const annotation of outcome.annotations ?? []) {
            if (annotation.type !== TRACE_COMPLETE_ANNOTATION) continue;
            const list = delays.get(title) ?? [];
            list.push(Number(annotation.description));
            delays.set(title, list);
          }
        }
      }
    }
  }
  testTimes.push(sum);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const lines = [
  `E2E suite benchmark (project ${project}): ${runs} run(s) on ${availableParallelism()} cores${failures ? `, ${failures} FAILED test(s)` : ''}`,
  '',
  `| figure | min | median | max |`,
  `|---|---|---|---|`,
  `| suite wall time (incl. starting the stack) | ${seconds(Math.min(...walls))} | ${seconds(percentile(walls, 50))} | ${seconds(Math.max(...walls))} |`,
  `| sum of test durations | ${seconds(Math.min(...testTimes))} | ${seconds(percentile(testTimes, 50))} | ${seconds(Math.max(...testTimes))} |`,
  '',
  'Delay from the response reaching the page to the complete trace in Jaeger (ms):',
  '',
  '| action (test) | n | p50 | p95 | max |',
  '|---|---|---|---|---|',
];
const all: number[] = [];
for (const [title, values] of [...delays].sort()) {
  all.push(...values);
  lines.push(
    `| ${title} | ${values.length} | ${Math.round(percentile(values, 50))} | ${Math.round(percentile(values, 95))} | ${Math.max(...values)} |`,
  );
}
if (all.length > 0) {
  lines.push(
    `| **all actions** | ${all.length} | ${Math.round(percentile(all, 50))} | ${Math.round(percentile(all, 95))} | ${Math.max(...all)} |`,
  );
}
const text = lines.join('\n');
console.log(`\n${text}\n`);
mkdirSync(OUT, { recursive: true });
writeFileSync(`${OUT}/e2e-suite.md`, `${text}\n`);
writeFileSync(
  `${OUT}/e2e-suite.json`,
  JSON.stringify(
    { runs, cores: availableParallelism(), walls, testTimes, delays: Object.fromEntries(delays) },
    null,
    2,
  ),
);
console.log(`Written: bench-results/e2e-suite.md and .json`);
