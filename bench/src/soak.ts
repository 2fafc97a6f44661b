/**
 * `npm run soak [-- --minutes 5]`: the API under load for several minutes
 * with the Collector DOWN (a benchmark, not a test: it prints figures and
 * never fails on them). Prints the API's RSS every 30 s, so a reader sees
 * whether the exporter's queue is really bounded, then starts the Collector
 * and reports how long until a new trace reaches Jaeger, without restarting
 * the API. Runs on the benchmark's own ports (see options.ts), Jaeger in memory.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { loadStackConfig } from '@tracing-demo/stack';
import { REPO_ROOT, stackProcesses } from '@tracing-demo/stack/processes';
import { fetchTrace } from '@tracing-demo/trace-assert';
import { log, newTraceparent } from './context.ts';
import { withBenchPorts } from './options.ts';
import { benchSupervisor, MB, stopAll, treeRssBytes } from './procs.ts';
import { median } from './stats.ts';

const SAMPLE_EVERY_MS = 30_000;

function minutesArgument(): number {
  const index = process.argv.indexOf('--minutes');
  const value = index >= 0 ? Number(process.argv[index + 1]) : Number(process.env.SOAK_MINUTES || 5);
  if (!(value > 0)) throw new Error('--minutes must be a positive number');
  return value;
}

async function main(): Promise<void> {
  const minutes = minutesArgument();
  const workDir = resolve(REPO_ROOT, 'bench-results', '.work');
  mkdirSync(workDir, { recursive: true });
  const config = loadStackConfig(withBenchPorts(process.env, workDir));
  // The services log at warn: request lines would measure pino, not the exporter.
  const supervisor = benchSupervisor(stackProcesses(config, { logLevel: 'warn' }), workDir);

  log(`soak: ${minutes} min of load on the API with the Collector down (${availableParallelism()} cores)`);
  // The API without its Collector (start() starts only what it is given).
  await supervisor.start(['jaeger', 'inventory', 'api']);

  const samples: { atS: number; rssMb: number }[] = [];
  const started = performance.now();
  const sample = () => {
    const rssMb = treeRssBytes(supervisor.pid('api')) / MB;
    const atS = Math.round((performance.now() - started) / 1000);
    samples.push({ atS, rssMb });
    log(`t=${String(atS).padStart(4)} s  API RSS ${rssMb.toFixed(1)} MB`);
  };
  sample();
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  const load = await autocannon({
    url: `${config.api.url}/items/5?q=soak`,
    connections: 10,
    duration: Math.round(minutes * 60),
  });
  clearInterval(timer);
  sample();

  log('starting the Collector; the API is not restarted');
  await supervisor.startOne('collector');
  const back = performance.now();
  let recoveredS: number | undefined;
  // gRPC reconnects with a backoff that grows during a long outage: keep
  // sending one traced request a second until one reaches Jaeger.
  while (performance.now() - back < 180_000) {
    const { header, traceId } = newTraceparent();
    await fetch(`${config.api.url}/`, { headers: { traceparent: header } }).then((r) => r.arrayBuffer());
    await new Promise((r) => setTimeout(r, 1000));
    if (await fetchTrace(config.jaeger.uiUrl, traceId).catch(() => undefined)) {
      recoveredS = (performance.now() - back) / 1000;
      break;
    }
  }
  const apiLog = readFileSync(join(workDir, 'api.log'), 'utf8');
  await stopAll();

  const rss = samples.map((s) => s.rssMb);
  const first = samples[1] ?? samples[0]!;
  const last = samples.at(-1)!;
  console.log(
    [
      '',
      `Soak: ${minutes} min, 10 connections on GET /items/:id, Collector down, ${availableParallelism()} cores`,
      '',
      '| figure | value |',
      '|---|---|',
      `| requests served (non-2xx) | ${load.requests.total} (${load.non2xx}) |`,
      `| throughput, mean | ${Math.round(load.requests.average)} req/s |`,
      `| API RSS min / median / max | ${Math.min(...rss).toFixed(1)} / ${median(rss).toFixed(1)} / ${Math.max(...rss).toFixed(1)} MB |`,
      `| API RSS at ${first.atS} s → at ${last.atS} s | ${first.rssMb.toFixed(1)} → ${last.rssMb.toFixed(1)} MB |`,
      `| API log lines during the run (warnings and errors) | ${apiLog.split('\n').filter(Boolean).length} |`,
      `| Collector back → first new trace in Jaeger | ${recoveredS === undefined ? 'NOT within 180 s' : `${recoveredS.toFixed(1)} s`} |`,
      '',
      'RSS every 30 s (MB): ' + samples.map((s) => `${s.atS}s=${s.rssMb.toFixed(0)}`).join(' '),
      '',
    ].join('\n'),
  );
}

main().catch(async (error: unknown) => {
  console.error(error);
  await stopAll();
  process.exit(1);
});
