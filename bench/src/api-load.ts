/**
 * (1) API throughput and latency, tracing OFF vs ON, in one run.
 *
 * ON is the stack's own API (stack/src/processes.ts: tracing preloaded,
 * 100% sampling, exporting over OTLP/gRPC to the real Collector → Jaeger).
 * OFF is the same description with `traced: false` (no tracing preload), on
 * its own port. Both are warmed up, then measured in alternating A/B rounds (OFF,ON
 * then ON,OFF...) with the same connections and duration, so a slow moment of
 * a shared machine hits both sides; ratios are taken per round.
 *
 * For ON, the Collector's own counters tell how many spans per request
 * actually arrived (a batch processor that drops spans under load would look
 * cheap otherwise), and one probe request per route, sent with a known
 * traceparent, is read back from Jaeger to prove the spans users care about
 * are still there.
 */
import { join } from 'node:path';
import { readdirSync, mkdirSync, readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { waitForTrace, findSpans, type SpanSelector, type Trace } from '@tracing-demo/trace-assert';
import type { BenchContext } from './context.ts';
import { log, newTraceparent } from './context.ts';
import { waitForQuietCollector } from './drain.ts';
import { counterDelta, scrape, spanCounters } from './metrics.ts';
import { treeCpuSeconds, MB } from './procs.ts';
import { stackRss, startExtraService, type RunningStack } from './stack.ts';
import { pairedRatios } from './stats.ts';
import { monotonicUs, summarizeCpuProfile, type ApiProfile, type CpuProfile } from './profile.ts';

export interface Route {
  key: 'root' | 'item';
  label: string;
  path: string;
  /** Fastify route, as on http.route. */
  route: string;
  /** Goal for the ON/OFF throughput ratio. */
  goal: number;
}

export const ROUTES: Route[] = [
  { key: 'root', label: 'GET /', path: '/', route: '/', goal: 0.6 },
  { key: 'item', label: 'GET /items/:id', path: '/items/5?q=somequery', route: '/items/:id', goal: 0.8 },
];

type Mode = 'off' | 'on';

interface RoundResult {
  route: Route['key'];
  round: number;
  mode: Mode;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  sent: number;
  non2xx: number;
  errors: number;
  /** ON only: spans the Collector accepted during the round (until drained). */
  spans?: number;
  /** ON only: highest sum of the stack's RSS seen during the round (bytes), and its split per process (MB). */
  stackRssMax?: number;
  stackRssByProcess?: Record<string, number>;
  /** CPU seconds used during the load, per process: the API measured, Collector, Jaeger, the load generator. */
  cpu: Record<string, number>;
}

/** CPU seconds so far of the processes that share the machine during a round. */
function cpuNow(stack: RunningStack, apiPid: number, inventoryPid: number): Record<string, number> {
  const usage = process.cpuUsage();
  return {
    api: treeCpuSeconds(apiPid),
    inventory: treeCpuSeconds(inventoryPid),
    collector: treeCpuSeconds(stack.pid('collector')),
    jaeger: treeCpuSeconds(stack.pid('jaeger')),
    autocannon: (usage.user + usage.system) / 1e6,
  };
}

async function load(url: string, connections: number, duration: number) {
  return autocannon({ url, connections, duration, pipelining: 1 });
}

/** Samples the stack's RSS every `intervalMs` until stopped; returns the samples. */
function rssSampler(stack: RunningStack, intervalMs = 500): () => ReturnType<typeof stackRss>[] {
  const samples = [stackRss(stack)];
  const timer = setInterval(() => samples.push(stackRss(stack)), intervalMs);
  return () => {
    clearInterval(timer);
    samples.push(stackRss(stack));
    return samples;
  };
}

/** What the probe must find: the spans end-to-end tests assert. */
function probeChecks(trace: Trace, route: Route, parentSpanId: string): string[] {
  const problems: string[] = [];
  const server = findSpans(trace, { service: 'api', kind: 'SERVER' })[0];
  if (!server) return ['no api SERVER span'];
  if (server.parentSpanId !== parentSpanId)
    problems.push(`SERVER span parent ${server.parentSpanId} ≠ ${parentSpanId}`);
  for (const key of ['http.route', 'http.request.method', 'http.response.status_code', 'server.address']) {
    if (!(key in server.attributes)) problems.push(`SERVER span lacks ${key}`);
  }
  if (route.key === 'item' && !('url.query' in server.attributes))
    problems.push('SERVER span lacks url.query');
  const selectors: [string, SpanSelector][] = [
    [
      'SERVER span of the route',
      { service: 'api', kind: 'SERVER', attributes: { 'http.route': route.route } },
    ],
  ];
  if (route.key === 'item') {
    selectors.push([
      'handler attributes on the SERVER span',
      { service: 'api', kind: 'SERVER', attributes: { 'app.item.id': 5, 'app.item.q': 'somequery' } },
    ]);
  }
  for (const [what, selector] of selectors) {
    if (findSpans(trace, selector).length === 0) problems.push(`no ${what}`);
  }
  return problems;
}

/** Sends one request with a known traceparent and reads its trace back from Jaeger. */
async function probe(
  ctx: BenchContext,
  route: Route,
): Promise<{ spans: number; names: string[]; problems: string[] }> {
  const tp = newTraceparent();
  const response = await fetch(`${ctx.config.api.url}${route.path}`, { headers: { traceparent: tp.header } });
  await response.arrayBuffer();
  const { trace } = await waitForTrace({
    jaegerUrl: ctx.config.jaeger.uiUrl,
    traceId: tp.traceId,
    expect: [{ service: 'api', kind: 'SERVER', attributes: { 'http.route': route.route } }],
    stablePolls: 3,
    intervalMs: 200,
    timeoutMs: 15_000,
  });
  return {
    spans: trace.spans.length,
    names: trace.spans.map((s) => s.name),
    problems: probeChecks(trace, route, tp.spanId),
  };
}

export async function runApiLoad(ctx: BenchContext): Promise<void> {
  const { options } = ctx;
  const stack = ctx.requireStack();
  const onUrl = ctx.config.api.url;
  // Tracing OFF means both services untraced: the untraced API calls an
  // untraced inventory of its own (same database file, read-only queries).
  const inventoryOffPort = options.apiOffPort + 2;

  log(
    `API load: starting the untraced inventory on port ${inventoryOffPort} and API on port ${options.apiOffPort}`,
  );
  const inventoryOff = await startExtraService(
    ctx.workDir,
    'inventory',
    'inventory-off',
    { inventory: inventoryOffPort },
    { traced: false },
  );
  const off = await startExtraService(
    ctx.workDir,
    'api',
    'api-off',
    { api: options.apiOffPort, inventory: inventoryOffPort },
    { traced: false },
  ).catch(async (error: unknown) => {
    await inventoryOff.stop();
    throw error;
  });
  const offUrl = off.url;
  const rounds: RoundResult[] = [];
  const probes: Record<string, unknown> = {};
  try {
    const metricsUrl = ctx.collectorMetricsUrl;

    for (const route of ROUTES) {
      const probed = await probe(ctx, route);
      probes[route.key] = probed;
      if (probed.problems.length > 0) {
        ctx.note(
          `${route.label}: the traced API's spans are not as end-to-end tests expect: ${probed.problems.join('; ')}`,
        );
      }
      log(`API load ${route.label}: ${probed.spans} spans per request (${probed.names.join(', ')})`);

      log(`API load ${route.label}: warm-up ${options.warmup}s each`);
      await load(`${offUrl}${route.path}`, options.connections, options.warmup);
      await load(`${onUrl}${route.path}`, options.connections, options.warmup);
      await waitForQuietCollector(metricsUrl);

      for (let round = 0; round < options.rounds; round += 1) {
        const order: Mode[] = round % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
        for (const mode of order) {
          const url = `${mode === 'on' ? onUrl : offUrl}${route.path}`;
          const before = mode === 'on' ? spanCounters(await scrape(metricsUrl)) : undefined;
          const stopSampling = mode === 'on' ? rssSampler(stack) : undefined;
          const apiPid = mode === 'on' ? stack.pid('api') : off.pid();
          const inventoryPid = mode === 'on' ? stack.pid('inventory') : inventoryOff.pid();
          const cpuBefore = cpuNow(stack, apiPid, inventoryPid);
          const result = await load(url, options.connections, options.duration);
          const cpuAfter = cpuNow(stack, apiPid, inventoryPid);
          const samples = stopSampling?.();
          const entry: RoundResult = {
            route: route.key,
            round,
            mode,
            rps: result.requests.total / result.duration,
            p50: result.latency.p50,
            p99: result.latency.p99,
            requests: result.requests.total,
            sent: result.requests.sent,
            non2xx: result.non2xx,
            errors: result.errors,
            cpu: Object.fromEntries(
              Object.entries(cpuAfter).map(([name, seconds]) => [name, seconds - (cpuBefore[name] ?? 0)]),
            ),
          };
          // Let the traced API's batch processor and the Collector drain, so
          // the next round (OFF or ON) starts from a quiet machine.
          const drained = await waitForQuietCollector(metricsUrl);
          if (before) {
            entry.spans = counterDelta(drained.counters, before).accepted;
            const highest = (samples ?? []).reduce((a, b) => (b.total > a.total ? b : a), {
              total: 0,
              byProcess: {},
            });
            entry.stackRssMax = highest.total;
            entry.stackRssByProcess = Object.fromEntries(
              Object.entries(highest.byProcess).map(([name, bytes]) => [name, Math.round(bytes / MB)]),
            );
          }
          rounds.push(entry);
          log(
            `API load ${route.label} round ${round + 1}/${options.rounds} ${mode.toUpperCase()}: ${Math.round(entry.rps)} req/s, p50 ${entry.p50} ms, p99 ${entry.p99} ms${entry.spans === undefined ? '' : `, ${(entry.spans / entry.sent).toFixed(2)} spans/request`}; CPU s: ${Object.entries(
              entry.cpu,
            )
              .map(([k, v]) => `${k} ${v.toFixed(2)}`)
              .join(', ')}`,
          );
          if (entry.non2xx > 0 || entry.errors > 0) {
            ctx.note(
              `${route.label} ${mode.toUpperCase()} round ${round + 1}: ${entry.non2xx} non-2xx, ${entry.errors} errors`,
            );
          }
        }
      }

      const of = (mode: Mode) => rounds.filter((r) => r.route === route.key && r.mode === mode);
      const offRounds = of('off');
      const onRounds = of('on');
      for (const [metric, label, unit] of [
        ['rps', 'throughput', 'req/s'],
        ['p50', 'latency p50', 'ms'],
        ['p99', 'latency p99', 'ms'],
      ] as const) {
        const offValues = offRounds.map((r) => r[metric]);
        const onValues = onRounds.map((r) => r[metric]);
        ctx.add({
          id: `api.${route.key}.${metric}.off`,
          part: 'api',
          label: `${route.label} ${label}, tracing OFF`,
          unit,
          over: 'rounds',
          values: offValues,
        });
        ctx.add({
          id: `api.${route.key}.${metric}.on`,
          part: 'api',
          label: `${route.label} ${label}, tracing ON`,
          unit,
          over: 'rounds',
          values: onValues,
        });
        // A latency of 0 ms (autocannon's resolution is 1 ms) has no ratio; clamp to 1 ms.
        const floor = (values: number[]) => (unit === 'ms' ? values.map((v) => Math.max(v, 1)) : values);
        ctx.add({
          id: `api.${route.key}.${metric}.ratio`,
          part: 'api',
          label: `${route.label} ${label}, ON/OFF`,
          unit: 'ratio',
          over: 'rounds',
          values: pairedRatios(floor(onValues), floor(offValues)),
          ...(metric === 'rps' ? { goal: { op: '>=' as const, value: route.goal } } : {}),
        });
      }
      // CPU time per request of the API measured (from /proc): unlike req/s,
      // it barely moves when other programs take cores away, so its ratio is
      // the steadier estimate of what tracing costs the API itself.
      const cpuUs = (r: RoundResult) => (1e6 * (r.cpu.api ?? 0)) / Math.max(1, r.requests);
      ctx.add({
        id: `api.${route.key}.cpu_us.off`,
        part: 'api',
        label: `${route.label} API CPU per request, tracing OFF`,
        unit: 'µs',
        over: 'rounds',
        values: offRounds.map(cpuUs),
      });
      ctx.add({
        id: `api.${route.key}.cpu_us.on`,
        part: 'api',
        label: `${route.label} API CPU per request, tracing ON`,
        unit: 'µs',
        over: 'rounds',
        values: onRounds.map(cpuUs),
      });
      ctx.add({
        id: `api.${route.key}.cpu_us.ratio`,
        part: 'api',
        label: `${route.label} API CPU per request, OFF/ON (= ON/OFF throughput if CPU-bound)`,
        unit: 'ratio',
        over: 'rounds',
        values: pairedRatios(offRounds.map(cpuUs), onRounds.map(cpuUs)),
      });
      const expected = probed.spans;
      ctx.add({
        id: `api.${route.key}.spans_per_request`,
        part: 'api',
        label: `${route.label} spans per traced request`,
        unit: 'spans',
        over: 'single',
        values: [expected],
        note: probed.names.join(', '),
      });
      ctx.add({
        id: `api.${route.key}.span_delivery`,
        part: 'api',
        label: `${route.label} spans delivered to the Collector under load`,
        unit: '%',
        over: 'rounds',
        values: onRounds.map((r) => (100 * (r.spans ?? 0)) / (r.sent * expected)),
      });
    }

    const loadRss = rounds.filter((r) => r.stackRssMax !== undefined).map((r) => r.stackRssMax! / MB);
    ctx.add({
      id: 'stack.rss.load',
      part: 'start',
      label: 'RSS of the stack under the tracing-ON load of (1) (max per round)',
      unit: 'MB',
      over: 'rounds',
      values: loadRss,
      goal: { op: '<=', value: 500 },
      note: `per process at the highest sample of the last round, MB: ${JSON.stringify(rounds.filter((r) => r.stackRssByProcess).at(-1)?.stackRssByProcess ?? {})}; Jaeger storage: ${ctx.config.jaeger.storage}`,
    });
  } finally {
    await off.stop();
    await inventoryOff.stop();
  }
  ctx.details.api = { connections: options.connections, duration: options.duration, rounds, probes };

  if (options.profile) ctx.details.profiles = await profileApis(ctx);
}

/**
 * Profiles a traced and an untraced API (extra processes, `node --cpu-prof`)
 * under the same load and summarises where their CPU time goes, counting
 * only the samples of the measured load (not start-up, not warm-up).
 */
async function profileApis(ctx: BenchContext): Promise<Record<string, ApiProfile>> {
  const { options } = ctx;
  const port = options.apiOffPort + 1;
  const profiles: Record<string, ApiProfile> = {};
  for (const route of ROUTES) {
    for (const mode of ['off', 'on'] as const) {
      const dir = join(ctx.workDir, 'profiles', `${mode}-${route.key}`);
      mkdirSync(dir, { recursive: true });
      // The profile is written when the process exits normally (SIGTERM → graceful close).
      const proc = await startExtraService(
        ctx.workDir,
        'api',
        `api-profile-${mode}-${route.key}`,
        { api: port },
        { traced: mode === 'on', nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] },
      );
      const url = proc.url;
      let window: { fromUs: number; toUs: number; requests: number } | undefined;
      try {
        log(
          `profile ${mode.toUpperCase()} ${route.label}: ${options.warmup}s warm-up, ${options.duration}s profiled`,
        );
        await load(`${url}${route.path}`, options.connections, options.warmup);
        const fromUs = monotonicUs();
        const result = await load(`${url}${route.path}`, options.connections, options.duration);
        window = { fromUs, toUs: monotonicUs(), requests: result.requests.sent };
      } finally {
        // The profile is written when the process exits normally (SIGTERM → graceful close).
        await proc.stop();
      }
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (!file) {
        ctx.note(`profile ${mode} ${route.label}: no .cpuprofile written in ${dir}`);
        continue;
      }
      const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
      profiles[`${mode}-${route.key}`] = {
        route: route.label,
        requests: window.requests,
        summary: summarizeCpuProfile(profile, { top: 25, fromUs: window.fromUs, toUs: window.toUs }),
      };
      await waitForQuietCollector(ctx.collectorMetricsUrl);
    }
  }
  return profiles;
}
