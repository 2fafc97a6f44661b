/**
 * `npm run bench`: what tracing costs and how fast a trace arrives, measured
 * side by side with tracing off, in one run. Prints a table and writes
 * bench-results/bench.json and bench-results/bench.md. `--smoke` runs every
 * part with tiny values and exits non-zero if any figure is missing.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { loadStackConfig } from '@tracing-demo/stack';
import { REPO_ROOT } from '@tracing-demo/stack/processes';
import { apiSetups, runApiLoad } from './api-load.ts';
import { runBrowserCost } from './browser-cost.ts';
import { BenchContext, log } from './context.ts';
import { runTraceLatency } from './trace-latency.ts';
import { parseOptions, USAGE, withBenchPorts, type Part } from './options.ts';
import { renderProfileComparison, type ApiProfile } from './profile.ts';
import { stopAll } from './procs.ts';
import { missingFigures, renderMarkdown, renderTable, type BenchReport } from './report.ts';
import { checkPorts } from './stack.ts';
import { runStart } from './start-part.ts';

const STACK_PARTS: Part[] = ['start', 'latency', 'api'];

async function main(): Promise<number> {
  const parsed = parseOptions(process.argv.slice(2));
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  const options = parsed;
  const outDir = resolve(REPO_ROOT, options.outDir);
  const workDir = join(outDir, '.work');
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(join(workDir, 'logs'), { recursive: true });
  // Every process of the run (and the web build) reads these: the stack's
  // own variables, with the benchmark's offset ports where unset.
  Object.assign(process.env, withBenchPorts(process.env, workDir), { LOG_LEVEL: options.apiLogLevel });
  const config = loadStackConfig();
  const ctx = new BenchContext(options, config, workDir);
  const has = (part: Part) => options.parts.includes(part);

  await checkPorts(config, {
    'untraced API (bench)': options.apiOffPort,
    'profiled API (bench)': options.apiOffPort + 1,
    'untraced inventory (bench)': options.apiOffPort + 2,
    'untraced API on the old Node (bench)': options.apiOffPort + 3,
    'traced API on the old Node (bench)': options.apiOffPort + 4,
    'API with the tutorial set-up (bench)': options.apiOffPort + 5,
    'inventory with the tutorial set-up (bench)': options.apiOffPort + 6,
    'traced build preview (bench)': options.previewPort,
    'untraced build preview (bench)': options.previewPort + 1,
  });

  const startedAt = new Date();
  const loadStart = loadavg()[0]!;
  log(
    `${options.smoke ? 'SMOKE run' : 'run'}: ${options.parts.join(', ')}; ${cpus().length} cores, load ${loadStart.toFixed(2)}`,
  );
  log(
    `ports: API ${config.api.port} (untraced ${options.apiOffPort}), web ${config.web.port}, Jaeger ${config.jaeger.uiPort}, Collector ${config.collector.grpcPort}/${config.collector.httpPort}`,
  );

  const failures: string[] = [];
  const attempt = async (part: Part, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      const message = `${part}: ${(error as Error).stack ?? String(error)}`;
      failures.push(message);
      ctx.note(`part "${part}" failed: ${(error as Error).message}`);
    }
  };

  try {
    if (STACK_PARTS.some(has)) await runStart(ctx, has('start'));
    if (has('browser')) await attempt('browser', () => runBrowserCost(ctx));
    if (has('latency')) await attempt('latency', () => runTraceLatency(ctx));
    if (has('api')) await attempt('api', () => runApiLoad(ctx));
  } finally {
    log('stopping everything the benchmark started');
    await stopAll();
  }

  const finishedAt = new Date();
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationS: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    smoke: options.smoke,
    machine: {
      cores: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryMB: Math.round(totalmem() / 1024 / 1024),
      node: process.versions.node,
      platform: `${process.platform} ${process.arch}`,
      loadStart,
      loadEnd: loadavg()[0]!,
    },
    options: { ...options },
    figures: ctx.figures,
    details: ctx.details,
    notes: ctx.notes,
  };
  const profiles = ctx.details.profiles as Record<string, ApiProfile> | undefined;
  const extra = profiles
    ? [
        '## Where the API spends its time (node --cpu-prof, self time per request)',
        '',
        'Sampled wall time while not idle: on a shared machine it includes time the process waited for a core, so compare the columns, not the absolute values.',
        ...(['root', 'item'] as const)
          .filter((route) => profiles[`off-${route}`] && profiles[`ours-${route}`])
          .map((route) => renderProfileComparison(profiles[`off-${route}`]!, profiles[`ours-${route}`]!)),
      ].join('\n\n')
    : '';
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, 'bench.md'), renderMarkdown(report, extra));
  console.log(`\n${renderTable(report)}\n`);
  log(`reports: ${join(outDir, 'bench.json')}, ${join(outDir, 'bench.md')}`);

  const missing = missingFigures(ctx.figures, options.parts, apiSetups(options));
  if (failures.length > 0) console.error(`\n✖ ${failures.length} part(s) failed:\n${failures.join('\n\n')}`);
  if (missing.length > 0) console.error(`\n✖ Missing figures: ${missing.join(', ')}`);
  return failures.length > 0 || missing.length > 0 ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping everything the benchmark started`);
    void stopAll().finally(() => process.exit(130));
  });
}

let code: number;
try {
  code = await main();
} catch (error) {
  console.error(`\n✖ ${(error as Error).message}\n`);
  await stopAll();
  code = 1;
}
// Explicit: an HTTP keep-alive socket or a gRPC channel must not keep the run alive.
process.exit(code);
