/**
 * (1) API throughput and latency, tracing off and on, in one run, in three
 * setups:
 *
 * - pinned: the API measured alone on core 0 (`taskset`), the load generator
 *   (autocannon, in this process), the inventory, the Collector, Jaeger and
 *   the web server on core 1: what tracing costs the API itself, without the
 *   Collector and Jaeger taking its core. Three APIs: tracing off, the
 *   tutorial set-up (NodeSDK with getNodeAutoInstrumentations(),
 *   tutorial-tracing.ts) and ours (the services' src/tracing.ts);
 * - shared: every process on both cores, as `npm start` runs them (off, ours);
 * - old runtime: pinned, with the API on the old Node (20, which the project
 *   ran on before the pinned Node 24), off and ours: what the runtime buys.
 *
 * Ours is the stack's own API (stack/src/processes.ts: tracing preloaded,
 * 100 % sampling, exporting over OTLP/gRPC to the real Collector → Jaeger);
 * off the same description with `traced: false`, on its own port, calling an
 * untraced inventory; the tutorial one the same with tutorial-tracing.ts
 * preloaded instead, calling an inventory traced the same way. Each API is
 * warmed up, then measured in alternating rounds (off, tutorial, ours, then
 * the reverse…) with the same connections and duration, so a slow moment of
 * a shared machine hits every side; ratios are taken per round. CPU time per
 * request (from /proc) is the steadier figure: it barely moves when other
 * programs take the cores.
 *
 * For a traced API, the Collector's own counters tell how many spans per
 * request arrived (a batch processor that drops spans under load would look
 * cheap otherwise), and one probe request per route, sent with a known
 * traceparent, is read back from Jaeger: for ours, to prove the spans the
 * end-to-end tests assert are there. After the load: Jaeger's memory, and a
 * Jaeger restart that must keep the probes' traces (Badger, on disk).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import autocannon from 'autocannon';
import {
  fetchTrace,
  findSpans,
  waitForTrace,
  type SpanSelector,
  type Trace,
} from '@tracing-demo/trace-assert';
import type { BenchContext } from './context.ts';
import type { BenchOptions } from './options.ts';
import { log, newTraceparent } from './context.ts';
import { waitForQuietCollector } from './drain.ts';
import { counterDelta, scrape, spanCounters } from './metrics.ts';
import { MB, rssParts, treeCpuSeconds, treeRssBytes } from './procs.ts';
import { monotonicUs, summarizeCpuProfile, type ApiProfile, type CpuProfile } from './profile.ts';
import { stackRss, startExtraService, type ExtraService, type ProcessName } from './stack.ts';
import { TUTORIAL_PRELOAD } from './tutorial.ts';
import { median, pairedRatios } from './stats.ts';

export interface Route {
  key: 'root' | 'item';
  label: string;
  path: string;
  /** Fastify route, as on http.route. */
  route: string;
  /** Goal for our API's CPU per request, OFF ÷ ours, API pinned. */
  goal: number;
}

export const ROUTES: Route[] = [
  { key: 'root', label: 'GET /', path: '/', route: '/', goal: 0.6 },
  { key: 'item', label: 'GET /items/:id', path: '/items/5?q=somequery', route: '/items/:id', goal: 0.75 },
];

/** Tracing off, the tutorial set-up, ours; the figure ids' last part. */
export const MODES = ['off', 'tutorial', 'ours'] as const;
type Mode = (typeof MODES)[number];
type TracedMode = Exclude<Mode, 'off'>;

/** How ours must compare with the tutorial set-up on `GET /`: at least this many times its CPU ratio. */
export const TUTORIAL_FACTOR_GOAL = 2;

/** An API under load: where it answers, and the processes whose CPU a round counts. */
interface ApiUnderTest {
  url: string;
  pid: () => number;
  inventoryPid: () => number;
}

/** The setups, in the order they run; ids of their figures are `api.<route>.<setup>.<metric>.<mode>`. */
type SetupKey = 'shared' | 'pinned' | 'old';

interface Setup {
  key: SetupKey;
  label: string;
  pinned: boolean;
  /** The APIs it compares, in round order: always `off` and `ours`. */
  apis: Partial<Record<Mode, ApiUnderTest>> & Record<'off' | 'ours', ApiUnderTest>;
}

const modesOf = (setup: Setup): Mode[] => MODES.filter((mode) => setup.apis[mode] !== undefined);

interface RoundResult {
  setup: SetupKey;
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
  /** Traced modes only: spans the Collector accepted during the round (until drained). */
  spans?: number;
  /** CPU seconds used during the load, per process: the API measured, its inventory, Collector, Jaeger, the load generator. */
  cpu: Record<string, number>;
}

async function load(url: string, connections: number, duration: number) {
  return autocannon({ url, connections, duration, pipelining: 1 });
}

/** Whole-process CPU affinity (every thread) of `pid`, e.g. `0` or `0,1`. */
function pin(pid: number, cpuList: string): void {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpuList, String(pid)], { stdio: 'ignore' });
}

/** The major version of a `node` binary, or undefined if it does not run. */
function nodeMajor(node: string): number | undefined {
  if (node === '') return undefined;
  try {
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    return Number(/^v(\d+)\./.exec(version)?.[1]);
  } catch {
    return undefined;
  }
}

/**
 * Which setups this machine can run besides the shared one: pinned needs 2
 * cores; the old runtime needs them too, and an old `node` of another major
 * than this one.
 */
export function apiSetups(options: Pick<BenchOptions, 'oldNode'>): {
  pinned: boolean;
  oldNodeMajor?: number;
} {
  const pinned = cpus().length >= 2;
  const major = nodeMajor(options.oldNode);
  const usable = pinned && major !== undefined && major !== Number(process.versions.node.split('.')[0]);
  return { pinned, ...(usable ? { oldNodeMajor: major } : {}) };
}

/** What the probe must find: the spans end-to-end tests assert. */
function probeChecks(trace: Trace, route: Route, parentSpanId: string): string[] {
  const problems: string[] = [];
  const servers = findSpans(trace, { service: 'api', kind: 'SERVER' });
  const server = servers[0];
  if (!server) return ['no api SERVER span'];
  if (servers.length !== 1) problems.push(`${servers.length} api SERVER spans, expected 1`);
  if (server.parentSpanId !== parentSpanId)
    problems.push(`SERVER span parent ${server.parentSpanId} ≠ ${parentSpanId}`);
  for (const key of ['http.route', 'http.request.method', 'http.response.status_code', 'server.address']) {
    if (!(key in server.attributes)) problems.push(`SERVER span lacks ${key}`);
  }
  if (server.attributes['http.route'] !== route.route)
    problems.push(`SERVER span's http.route is not ${route.route}`);
  if (route.key === 'item') {
    const expected: SpanSelector = {
      service: 'api',
      kind: 'SERVER',
      attributes: { 'url.query': 'q=somequery', 'app.item.id': 5, 'app.item.q': 'somequery' },
    };
    if (findSpans(trace, expected).length === 0) problems.push("SERVER span lacks the handler's attributes");
  }
  return problems;
}

/**
 * Sends one request with a known traceparent to `apiUrl` and reads its trace
 * back from Jaeger; `checked`: with the checks of the spans the end-to-end
 * tests assert (ours), else only counted (the tutorial set-up names its
 * SERVER span `GET`, without a route).
 */
async function probe(ctx: BenchContext, route: Route, apiUrl: string, checked: boolean) {
  const tp = newTraceparent();
  const response = await fetch(`${apiUrl}${route.path}`, { headers: { traceparent: tp.header } });
  await response.arrayBuffer();
  const { trace } = await waitForTrace({
    jaegerUrl: ctx.config.jaeger.uiUrl,
    traceId: tp.traceId,
    expect: [
      checked
        ? { service: 'api', kind: 'SERVER', attributes: { 'http.route': route.route } }
        : { service: 'api', kind: 'SERVER' },
    ],
    stablePolls: 3,
    intervalMs: 200,
    // Jaeger may still be writing the previous route's load (Badger).
    timeoutMs: 60_000,
  });
  return {
    traceId: tp.traceId,
    spans: trace.spans.length,
    names: trace.spans.map((s) => `${s.service} ${s.name}`),
    problems: checked ? probeChecks(trace, route, tp.spanId) : [],
  };
}

export async function runApiLoad(ctx: BenchContext): Promise<void> {
  const { options } = ctx;
  const stack = ctx.requireStack();
  const base = options.apiOffPort;
  const extras: ExtraService[] = [];
  const extra = async (...args: Parameters<typeof startExtraService>) => {
    const started = await startExtraService(...args);
    extras.push(started);
    return started;
  };
  const rounds: RoundResult[] = [];
  const probes: Record<string, Awaited<ReturnType<typeof probe>>> = {};
  const can = apiSetups(options);

  try {
    // Tracing OFF means both services untraced: the untraced API calls an
    // untraced inventory of its own (same database file, read-only queries).
    log(`API load: starting the untraced inventory (port ${base + 2}) and API (port ${base})`);
    const inventoryOff = await extra(
      ctx.workDir,
      'inventory',
      'inventory-off',
      { inventory: base + 2 },
      {
        traced: false,
      },
    );
    const apiOff = await extra(
      ctx.workDir,
      'api',
      'api-off',
      { api: base, inventory: base + 2 },
      { traced: false },
    );
    const node24 = {
      off: { url: apiOff.url, pid: apiOff.pid, inventoryPid: inventoryOff.pid },
      ours: {
        url: ctx.config.api.url,
        pid: () => stack.pid('api'),
        inventoryPid: () => stack.pid('inventory'),
      },
    };
    const setups: Setup[] = [];
    if (!can.pinned) ctx.note(`API load: ${cpus().length} core(s): no pinned setups (they need 2)`);
    else {
      // The tutorial set-up preloaded into both services instead of their src/tracing.ts.
      log(`API load: starting the tutorial set-up's inventory (port ${base + 6}) and API (port ${base + 5})`);
      const tutorial = { traced: false, nodeFlags: ['--import', TUTORIAL_PRELOAD] };
      const inventoryTutorial = await extra(
        ctx.workDir,
        'inventory',
        'inventory-tutorial',
        { inventory: base + 6 },
        tutorial,
      );
      const apiTutorial = await extra(
        ctx.workDir,
        'api',
        'api-tutorial',
        { api: base + 5, inventory: base + 6 },
        tutorial,
      );
      setups.push({
        key: 'pinned',
        label: 'API pinned to core 0',
        pinned: true,
        apis: {
          ...node24,
          tutorial: { url: apiTutorial.url, pid: apiTutorial.pid, inventoryPid: inventoryTutorial.pid },
        },
      });
    }
    setups.push({ key: 'shared', label: 'both cores shared', pinned: false, apis: node24 });
    if (can.oldNodeMajor !== undefined) {
      log(`API load: starting the API on Node ${can.oldNodeMajor} (${options.oldNode}), untraced and traced`);
      // Node 20 cannot strip types: a module hook does it (node20/strip-types.mjs).
      const onOld = {
        program: options.oldNode,
        nodeFlags: ['--import', new URL('./node20/strip-types.mjs', import.meta.url).pathname],
      };
      const oldOff = await extra(
        ctx.workDir,
        'api',
        'api-off-old',
        { api: base + 3, inventory: base + 2 },
        {
          traced: false,
          ...onOld,
        },
      );
      const oldOn = await extra(
        ctx.workDir,
        'api',
        'api-on-old',
        { api: base + 4 },
        { traced: true, ...onOld },
      );
      setups.push({
        key: 'old',
        label: `API on Node ${can.oldNodeMajor}, pinned to core 0`,
        pinned: true,
        apis: {
          off: { url: oldOff.url, pid: oldOff.pid, inventoryPid: inventoryOff.pid },
          ours: { url: oldOn.url, pid: oldOn.pid, inventoryPid: () => stack.pid('inventory') },
        },
      });
    } else if (options.oldNode !== '') {
      ctx.note(
        `API load: no old-runtime setup (${options.oldNode} is missing, of the pinned major, or there is one core)`,
      );
    }

    // Everything but the API measured goes to core 1 for the pinned rounds.
    const everyPid = () => [
      process.pid,
      ...stack.supervisor.names
        .filter((name) => stack.supervisor.isRunning(name))
        .map((name) => stack.pid(name as ProcessName)),
      ...extras.map((service) => service.pid()),
    ];
    const cpuNow = (api: ApiUnderTest): Record<string, number> => {
      const usage = process.cpuUsage();
      return {
        api: treeCpuSeconds(api.pid()),
        inventory: treeCpuSeconds(api.inventoryPid()),
        collector: treeCpuSeconds(stack.pid('collector')),
        jaeger: treeCpuSeconds(stack.pid('jaeger')),
        autocannon: (usage.user + usage.system) / 1e6,
      };
    };
    const metricsUrl = ctx.collectorMetricsUrl;
    let jaegerMax = { rss: treeRssBytes(stack.pid('jaeger')), ...rssParts(stack.pid('jaeger')) };
    let stackMaxRss = { total: 0, byProcess: {} as Record<string, number> };
    const sampleRss = () => {
      const jaeger = treeRssBytes(stack.pid('jaeger'));
      if (jaeger > jaegerMax.rss) jaegerMax = { rss: jaeger, ...rssParts(stack.pid('jaeger')) };
      const now = stackRss(stack);
      if (now.total > stackMaxRss.total) stackMaxRss = now;
    };

    for (const route of ROUTES) {
      const spansPerRequest: Partial<Record<TracedMode, number>> = {};
      const tracedApis = new Map<TracedMode, string>([['ours', ctx.config.api.url]]);
      const tutorialApi = setups.find((setup) => setup.apis.tutorial)?.apis.tutorial;
      if (tutorialApi) tracedApis.set('tutorial', tutorialApi.url);
      await waitForQuietCollector(metricsUrl);
      for (const [mode, url] of tracedApis) {
        // Twice: the first may open the API's connection to the inventory, a span of its own with
        // the tutorial set-up (instrumentation-net's tcp.connect) that requests on kept-alive connections do not make.
        await probe(ctx, route, url, false);
        const probed = await probe(ctx, route, url, mode === 'ours');
        probes[`${route.key}.${mode}`] = probed;
        spansPerRequest[mode] = probed.spans;
        if (probed.problems.length > 0) {
          ctx.note(
            `${route.label}: the traced API's spans are not as end-to-end tests expect: ${probed.problems.join('; ')}`,
          );
        }
        log(
          `API load ${route.label}, ${mode}: ${probed.spans} spans per request (${probed.names.join(', ')})`,
        );
      }

      for (const setup of setups) {
        for (const pid of setup.pinned ? everyPid() : []) pin(pid, '1');
        try {
          log(`API load ${route.label}, ${setup.label}: warm-up ${options.warmup}s each`);
          const modes = modesOf(setup);
          for (const mode of modes) {
            const api = setup.apis[mode]!;
            if (setup.pinned) pin(api.pid(), '0');
            await load(`${api.url}${route.path}`, options.connections, options.warmup);
            if (setup.pinned) pin(api.pid(), '1');
          }
          await waitForQuietCollector(metricsUrl);
          for (let round = 0; round < options.rounds; round += 1) {
            const order = round % 2 === 0 ? modes : modes.toReversed();
            for (const mode of order) {
              const api = setup.apis[mode]!;
              const before = mode !== 'off' ? spanCounters(await scrape(metricsUrl)) : undefined;
              if (setup.pinned) pin(api.pid(), '0');
              // Jaeger's and the stack's memory under our API's load.
              const sampler = mode === 'ours' ? setInterval(sampleRss, 500) : undefined;
              const cpuBefore = cpuNow(api);
              const result = await load(`${api.url}${route.path}`, options.connections, options.duration);
              const cpuAfter = cpuNow(api);
              clearInterval(sampler);
              if (setup.pinned) pin(api.pid(), '1');
              // Let the batch processor and the Collector drain, so the next
              // round starts from a quiet machine.
              const drained = await waitForQuietCollector(metricsUrl);
              const entry: RoundResult = {
                setup: setup.key,
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
                  Object.entries(cpuAfter).map(([name, s]) => [name, s - (cpuBefore[name] ?? 0)]),
                ),
                ...(before ? { spans: counterDelta(drained.counters, before).accepted } : {}),
              };
              rounds.push(entry);
              log(
                `API load ${route.label}, ${setup.label}, round ${round + 1}/${options.rounds} ${mode.toUpperCase()}: ${Math.round(entry.rps)} req/s, p99 ${entry.p99} ms${entry.spans === undefined ? '' : `, ${(entry.spans / entry.sent).toFixed(2)} spans/request`}; CPU s: ${Object.entries(
                  entry.cpu,
                )
                  .map(([k, v]) => `${k} ${v.toFixed(2)}`)
                  .join(', ')}`,
              );
              if (entry.non2xx > 0 || entry.errors > 0) {
                ctx.note(
                  `${route.label} ${setup.key} ${mode.toUpperCase()} round ${round + 1}: ${entry.non2xx} non-2xx, ${entry.errors} errors`,
                );
              }
            }
          }
        } finally {
          if (setup.pinned) for (const pid of everyPid()) pin(pid, '0,1');
        }
        addSetupFigures(ctx, route, setup, rounds, spansPerRequest);
      }
      addRuntimeFigures(ctx, route, rounds, setups);
    }

    ctx.add({
      id: 'stack.rss.load',
      part: 'start',
      label: 'RSS of the stack under the load of our traced API in (1) (highest sample)',
      unit: 'MB',
      over: 'single',
      values: [stackMaxRss.total / MB],
      note: `per process then, MB: ${Object.entries(stackMaxRss.byProcess)
        .map(([name, bytes]) => `${name} ${Math.round(bytes / MB)}`)
        .join(', ')}`,
    });
    await jaegerAfterLoad(
      ctx,
      jaegerMax,
      Object.values(probes).map((p) => p.traceId),
    );
  } finally {
    for (const service of extras.reverse()) await service.stop();
  }
  ctx.details.api = { connections: options.connections, duration: options.duration, rounds, probes };

  if (options.profile) ctx.details.profiles = await profileApis(ctx);
}

const cpuUs = (r: RoundResult) => (1e6 * (r.cpu.api ?? 0)) / Math.max(1, r.requests);

const MODE_LABELS: Record<Mode, string> = {
  off: 'tracing OFF',
  tutorial: 'tutorial set-up (NodeSDK + getNodeAutoInstrumentations)',
  ours: 'ours (src/tracing.ts)',
};

/**
 * The figures of one route in one setup: throughput, latency, CPU per request
 * and spans delivered of each API, and each traced one against OFF (ratios
 * per round); pinned, also ours against the tutorial set-up.
 */
function addSetupFigures(
  ctx: BenchContext,
  route: Route,
  setup: Setup,
  rounds: RoundResult[],
  spansPerRequest: Partial<Record<TracedMode, number>>,
) {
  const of = (mode: Mode) =>
    rounds.filter((r) => r.setup === setup.key && r.route === route.key && r.mode === mode);
  const id = (metric: string, mode: string) => `api.${route.key}.${setup.key}.${metric}.${mode}`;
  const label = (what: string) => `${route.label} ${what} (${setup.label})`;
  const pairs = [
    ['rps', 'throughput', 'req/s', (r: RoundResult) => r.rps],
    ['cpu_us', 'API CPU per request', 'µs', cpuUs],
    ['p99', 'latency p99', 'ms', (r: RoundResult) => r.p99],
  ] as const;
  const modes = modesOf(setup);
  for (const mode of modes) {
    for (const [metric, what, unit, value] of pairs) {
      ctx.add({
        id: id(metric, mode),
        part: 'api',
        label: label(`${what}, ${MODE_LABELS[mode]}`),
        unit,
        over: 'rounds',
        values: of(mode).map(value),
      });
    }
  }
  const off = of('off');
  for (const mode of modes.filter((m): m is TracedMode => m !== 'off')) {
    const on = of(mode);
    const suffix = mode === 'ours' ? '' : `_${mode}`;
    ctx.add({
      id: id('rps', `ratio${suffix}`),
      part: 'api',
      label: label(`throughput, ${MODE_LABELS[mode]} ÷ OFF`),
      unit: 'ratio',
      over: 'rounds',
      values: pairedRatios(
        on.map((r) => r.rps),
        off.map((r) => r.rps),
      ),
    });
    ctx.add({
      id: id('cpu_us', `ratio${suffix}`),
      part: 'api',
      label: label(`API CPU per request, OFF ÷ ${MODE_LABELS[mode]}`),
      unit: 'ratio',
      over: 'rounds',
      values: pairedRatios(off.map(cpuUs), on.map(cpuUs)),
      // The goal is about the API's own cost: judged where it has its core.
      ...(setup.key === 'pinned' && mode === 'ours'
        ? { goal: { op: '>=' as const, value: route.goal } }
        : {}),
    });
    const perRequest = spansPerRequest[mode] ?? 0;
    ctx.add({
      id: id('span_delivery', mode),
      part: 'api',
      label: label(
        `spans delivered to the Collector under load, ${MODE_LABELS[mode]} (${perRequest} per request)`,
      ),
      unit: '%',
      over: 'rounds',
      values: on.map((r) => (100 * (r.spans ?? 0)) / (r.sent * perRequest)),
      goal: { op: '>=', value: 100 },
    });
  }
  if (setup.apis.tutorial) {
    // Per round: the tutorial set-up's CPU per request ÷ ours (= our OFF ÷ ON ratio ÷ its).
    ctx.add({
      id: id('cpu_us', 'tutorial_vs_ours'),
      part: 'api',
      label: label('API CPU per request, tutorial set-up ÷ ours'),
      unit: 'ratio',
      over: 'rounds',
      values: pairedRatios(of('tutorial').map(cpuUs), of('ours').map(cpuUs)),
      ...(route.key === 'root' ? { goal: { op: '>=' as const, value: TUTORIAL_FACTOR_GOAL } } : {}),
    });
  }
}

/** The pinned Node against the old one, both traced (ours), API pinned: what the runtime change bought. */
function addRuntimeFigures(ctx: BenchContext, route: Route, rounds: RoundResult[], setups: Setup[]) {
  if (!setups.some((s) => s.key === 'old') || !setups.some((s) => s.key === 'pinned')) return;
  const on = (setup: SetupKey) =>
    rounds.filter((r) => r.setup === setup && r.route === route.key && r.mode === 'ours');
  const [now, old] = [on('pinned'), on('old')];
  ctx.add({
    id: `api.${route.key}.runtime.rps_ratio`,
    part: 'api',
    label: `${route.label} traced throughput, Node ${process.versions.node.split('.')[0]} ÷ old Node (API pinned)`,
    unit: 'ratio',
    over: 'single',
    values: [median(now.map((r) => r.rps)) / median(old.map((r) => r.rps))],
  });
  ctx.add({
    id: `api.${route.key}.runtime.cpu_ratio`,
    part: 'api',
    label: `${route.label} traced API CPU per request, old Node ÷ Node ${process.versions.node.split('.')[0]}`,
    unit: 'ratio',
    over: 'single',
    values: [median(old.map(cpuUs)) / median(now.map(cpuUs))],
  });
}

/**
 * Jaeger after the load: its highest RSS during it and now, then a restart
 * (Badger keeps the traces on disk: the probes' traces must still be there)
 * and its RSS after it.
 */
async function jaegerAfterLoad(
  ctx: BenchContext,
  maxDuring: { rss: number; anon: number; file: number },
  traceIds: string[],
): Promise<void> {
  const stack = ctx.requireStack();
  const jaegerUrl = ctx.config.jaeger.uiUrl;
  await delay(ctx.options.smoke ? 500 : 5000);
  const after = treeRssBytes(stack.pid('jaeger')) / MB;
  const afterParts = rssParts(stack.pid('jaeger'));
  // File-backed pages (its binary, Badger's memory-mapped files) are page
  // cache a container's limit reclaims; the anonymous part is what must fit.
  const split = ({ anon, file }: { anon: number; file: number }) =>
    `${Math.round(anon / MB)} MB anonymous, ${Math.round(file / MB)} MB file-backed`;
  const storage = ctx.config.jaeger.storage;
  const env = stack.supervisor.spec('jaeger').env;
  const settings = ['GOMEMLIMIT', 'GOGC'].map((name) => `${name}=${env[name] ?? 'unset'}`).join(', ');
  ctx.add({
    id: 'jaeger.rss.load_max',
    part: 'start',
    label: 'Jaeger RSS, highest sample during the load of our traced API in (1)',
    unit: 'MB',
    over: 'single',
    values: [maxDuring.rss / MB],
    goal: { op: '<=', value: 512 },
    note: `${split(maxDuring)}; ${storage}, ${settings}`,
  });
  ctx.add({
    id: 'jaeger.rss.after_load',
    part: 'start',
    label: 'Jaeger RSS after the load of (1)',
    unit: 'MB',
    over: 'single',
    values: [after],
    goal: { op: '<=', value: 512 },
    note: split(afterParts),
  });

  log('Jaeger: restarting it, to check the traces are still there');
  await stack.supervisor.restart('jaeger');
  let kept = 0;
  for (const traceId of traceIds) {
    const found = await fetchTrace(jaegerUrl, traceId).catch(() => undefined);
    if (found && found.trace.spans.length > 0) kept += 1;
  }
  ctx.add({
    id: 'jaeger.traces_kept',
    part: 'start',
    label: `Probe traces of (1) found in Jaeger after its restart (of ${traceIds.length})`,
    unit: 'traces',
    over: 'single',
    values: [kept],
    goal: { op: '>=', value: storage === 'memstore' ? 0 : traceIds.length },
    note: storage === 'memstore' ? 'memstore keeps nothing across a restart' : 'Badger, on disk',
  });
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
    for (const mode of ['off', 'ours'] as const) {
      const dir = join(ctx.workDir, 'profiles', `${mode}-${route.key}`);
      mkdirSync(dir, { recursive: true });
      const proc = await startExtraService(
        ctx.workDir,
        'api',
        `api-profile-${mode}-${route.key}`,
        { api: port },
        { traced: mode === 'ours', nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] },
      );
      let window: { fromUs: number; toUs: number; requests: number } | undefined;
      try {
        log(
          `profile ${mode.toUpperCase()} ${route.label}: ${options.warmup}s warm-up, ${options.duration}s profiled`,
        );
        await load(`${proc.url}${route.path}`, options.connections, options.warmup);
        const fromUs = monotonicUs();
        const result = await load(`${proc.url}${route.path}`, options.connections, options.duration);
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
