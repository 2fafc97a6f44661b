/**
 * (4) The Collector: spans per second it accepts over OTLP/HTTP and OTLP/gRPC
 * at increasing fixed rates without dropping any, judged by its own counters
 * (accepted = sent by the client, nothing refused or failed, everything
 * exported to Jaeger), with its CPU and RSS at that rate; and Jaeger's RSS
 * once it holds N traces.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { BenchContext } from './context.ts';
import { log, reach } from './context.ts';
import { waitForQuietCollector } from './drain.ts';
import { counterDelta, scrape, spanCounters, type SpanCounters } from './metrics.ts';
import {
  BatchTemplate,
  grpcSender,
  httpSender,
  sendAtRate,
  SPANS_PER_TRACE,
  type Protocol,
  type RateResult,
} from './otlp-load.ts';
import { MB, treeCpuSeconds, treeRssBytes } from './procs.ts';
import type { ProcessName } from './stack.ts';

interface StepResult extends RateResult {
  protocol: Protocol;
  collector: SpanCounters;
  drained: boolean;
  /** Collector CPU over the sending window, % of one core, per ~1 s sample. */
  cpuPercent: number[];
  /** Collector RSS samples (MB). */
  rssMB: number[];
  jaegerCpuPercent: number;
  /** Gateway topology only: spans the gateways exported to Jaeger (sampling at 100 %: all of them). */
  gatewaySent?: number;
  /** Gateway topology only: RSS of the whole tier (agent + gateways) at the end, MB. */
  tierRssMB?: number;
  passed: boolean;
  why: string[];
}

function judge(step: Omit<StepResult, 'passed' | 'why'>): string[] {
  const why: string[] = [];
  if (step.errors > 0) why.push(`${step.errors} requests failed (${step.firstError})`);
  const c = step.collector;
  const clean = step.errors === 0 && c.refused === 0 && c.failed === 0 && c.accepted === step.spansSent;
  if (step.achievedRate < 0.97 * step.targetRate) {
    why.push(
      `rate not sustained: ${Math.round(step.achievedRate)} spans/s acknowledged${clean ? ' (none dropped: the machine, load generator included, ran out of CPU)' : ''}`,
    );
  }
  if (c.accepted !== step.spansSent) why.push(`Collector accepted ${c.accepted} of ${step.spansSent} spans`);
  if (c.refused > 0 || c.failed > 0) why.push(`Collector refused ${c.refused}, failed ${c.failed}`);
  if (c.sendFailed > 0 || c.enqueueFailed > 0)
    why.push(`export to Jaeger failed for ${c.sendFailed + c.enqueueFailed}`);
  if (c.sent < c.accepted) why.push(`only ${c.sent} of ${c.accepted} exported to Jaeger`);
  if (!step.drained) why.push('the Collector did not drain within 15 s');
  if (step.gatewaySent !== undefined && step.gatewaySent < c.accepted)
    why.push(`the gateways exported ${step.gatewaySent} of ${c.accepted} spans to Jaeger`);
  return why;
}

async function step(
  ctx: BenchContext,
  protocol: Protocol,
  rate: number,
  template: BatchTemplate,
): Promise<StepResult> {
  const stack = ctx.requireStack();
  const collectorPid = stack.pid('collector');
  const jaegerPid = stack.pid('jaeger');
  const host = reach(ctx.config.bindHost);
  const sender =
    protocol === 'grpc'
      ? grpcSender(`${host}:${ctx.config.collector.grpcPort}`)
      : httpSender(`http://${host}:${ctx.config.collector.httpPort}/v1/traces`);
  const before = spanCounters(await scrape(ctx.collectorMetricsUrl));
  const gatewaysBefore = await gatewaySentSpans(ctx);
  const cpuPercent: number[] = [];
  const rssMB: number[] = [treeRssBytes(collectorPid) / MB];
  let lastCpu = treeCpuSeconds(collectorPid);
  let lastAt = performance.now();
  const jaegerCpu = treeCpuSeconds(jaegerPid);
  const started = performance.now();
  let result: RateResult;
  try {
    result = await sendAtRate(sender, template, rate, ctx.options.collectorStep, {
      onTick: () => {
        const cpu = treeCpuSeconds(collectorPid);
        const now = performance.now();
        cpuPercent.push((100 * (cpu - lastCpu)) / ((now - lastAt) / 1000));
        rssMB.push(treeRssBytes(collectorPid) / MB);
        lastCpu = cpu;
        lastAt = now;
      },
    });
  } finally {
    sender.close();
  }
  const now = performance.now();
  const cpuEnd = treeCpuSeconds(collectorPid);
  if (cpuPercent.length === 0 || now - lastAt > 300)
    cpuPercent.push((100 * (cpuEnd - lastCpu)) / ((now - lastAt) / 1000));
  rssMB.push(treeRssBytes(collectorPid) / MB);
  const jaegerCpuPercent = (100 * (treeCpuSeconds(jaegerPid) - jaegerCpu)) / ((now - started) / 1000);
  const drained = await waitForQuietCollector(ctx.collectorMetricsUrl);
  const accepted = drained.counters.accepted - before.accepted;
  const gatewaySent =
    gatewaysBefore === undefined ? undefined : await waitForGateways(ctx, gatewaysBefore, accepted);
  const tierRssMB =
    ctx.config.gateways.length === 0
      ? undefined
      : [collectorPid, ...ctx.config.gateways.map((g) => stack.pid(g.name as ProcessName))].reduce(
          (sum, pid) => sum + treeRssBytes(pid) / MB,
          0,
        );
  const partial = {
    ...result,
    protocol,
    collector: counterDelta(drained.counters, before),
    drained: drained.settled,
    cpuPercent,
    rssMB,
    jaegerCpuPercent,
    gatewaySent,
    tierRssMB,
  };
  const why = judge(partial);
  return { ...partial, passed: why.length === 0, why };
}

/** Gateway topology: spans all gateways exported so far; undefined with one Collector. */
async function gatewaySentSpans(ctx: BenchContext): Promise<number | undefined> {
  if (ctx.config.gateways.length === 0) return undefined;
  const host = reach(ctx.config.bindHost);
  const counts = await Promise.all(
    ctx.config.gateways.map(
      async (g) => spanCounters(await scrape(`http://${host}:${g.metricsPort}/metrics`)).sent,
    ),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** Waits (decision wait + 15 s at most) until the gateways exported `accepted` more spans; returns how many they did. */
async function waitForGateways(ctx: BenchContext, before: number, accepted: number): Promise<number> {
  const deadline = performance.now() + ctx.config.tailSampling.decisionWaitMs + 15_000;
  for (;;) {
    const sent = (await gatewaySentSpans(ctx))! - before;
    if (sent >= accepted || performance.now() > deadline) return sent;
    await delay(200);
  }
}

export async function runCollector(ctx: BenchContext): Promise<void> {
  const { options } = ctx;
  const steps: StepResult[] = [];
  for (const protocol of ['http', 'grpc'] as const) {
    const template = new BatchTemplate(
      protocol,
      Math.max(1, Math.round(options.collectorBatch / SPANS_PER_TRACE)),
    );
    let best: StepResult | undefined;
    for (const rate of options.collectorRates) {
      const result = await step(ctx, protocol, rate, template);
      steps.push(result);
      log(
        `Collector ${protocol} ${rate} spans/s: ${result.passed ? 'no drops' : `FAILED (${result.why.join('; ')})`}; achieved ${Math.round(result.achievedRate)} spans/s, CPU ${Math.round(Math.max(...result.cpuPercent))}% max, RSS ${Math.round(Math.max(...result.rssMB))} MB`,
      );
      if (!result.passed) break;
      best = result;
    }
    const shown = best ?? steps.filter((s) => s.protocol === protocol)[0]!;
    const tier =
      ctx.config.gateways.length > 0 ? ` through agent + ${ctx.config.gateways.length} gateways` : '';
    const label = `${protocol === 'http' ? 'OTLP/HTTP (JSON)' : 'OTLP/gRPC'}${tier}`;
    const limit = best
      ? best === steps.filter((s) => s.protocol === protocol).at(-1)
        ? 'the highest rate tried; raise --collector-rates to find the limit'
        : `the next rate tried failed: ${steps
            .filter((s) => s.protocol === protocol)
            .at(-1)!
            .why.join('; ')}`
      : `even the lowest rate failed: ${shown.why.join('; ')}`;
    ctx.add({
      id: `collector.${protocol}.max_rate`,
      part: 'collector',
      label: `${label}: highest fixed rate with no span dropped`,
      unit: 'spans/s',
      over: 'single',
      values: [best ? best.targetRate : 0],
      note: `${template.spans} spans per request; ${limit}`,
    });
    ctx.add({
      id: `collector.${protocol}.cpu_at_max`,
      part: 'collector',
      label: `${label}: Collector CPU at that rate (per second)`,
      unit: '%',
      over: 'samples',
      values: shown.cpuPercent,
      note: `% of one core; Jaeger used ${Math.round(shown.jaegerCpuPercent)}% meanwhile`,
    });
    ctx.add({
      id: `collector.${protocol}.rss_at_max`,
      part: 'collector',
      label: `${label}: Collector RSS at that rate`,
      unit: 'MB',
      over: 'samples',
      values: shown.rssMB,
    });
    if (shown.tierRssMB !== undefined) {
      ctx.add({
        id: `collector.${protocol}.tier_rss_at_max`,
        part: 'collector',
        label: `${label}: RSS of the whole tier (agent + gateways) after that rate`,
        unit: 'MB',
        over: 'single',
        values: [shown.tierRssMB],
      });
    }
  }
  ctx.details.collector = { batchSpans: options.collectorBatch, stepSeconds: options.collectorStep, steps };
}

export async function runJaegerMemory(ctx: BenchContext): Promise<void> {
  const stack = ctx.requireStack();
  const jaegerPid = stack.pid('jaeger');
  const host = reach(ctx.config.bindHost);
  const traces = ctx.options.jaegerTraces;
  const perBatch = Math.min(100, traces);
  const template = new BatchTemplate('grpc', perBatch);
  const batches = Math.ceil(traces / perBatch);
  const rssBefore = treeRssBytes(jaegerPid) / MB;
  log(`Jaeger: loading ${batches * perBatch} traces of ${SPANS_PER_TRACE} spans`);
  const sender = grpcSender(`${host}:${ctx.config.collector.grpcPort}`);
  const rate = 10_000; // spans/s: far below the Collector's limit, so none is dropped
  let result: RateResult;
  try {
    result = await sendAtRate(sender, template, rate, (batches * template.spans) / rate);
  } finally {
    sender.close();
  }
  const drained = await waitForQuietCollector(ctx.collectorMetricsUrl);
  if (result.errors > 0 || !drained.settled) {
    ctx.note(`Jaeger memory: ${result.errors} failed requests, Collector drained: ${drained.settled}`);
  }
  // Jaeger writes synchronously on receipt; give its Go runtime a moment.
  await delay(2000);
  const rssAfter = treeRssBytes(jaegerPid) / MB;
  // Spot check: the loaded traces reached Jaeger.
  const services = (await (await fetch(`${ctx.config.jaeger.uiUrl}/api/v3/services`)).json()) as {
    services?: string[];
  };
  if (!services.services?.includes('bench-load'))
    ctx.note('Jaeger memory: service bench-load not found in Jaeger');
  ctx.add({
    id: 'jaeger.rss.before',
    part: 'jaeger',
    label: 'Jaeger RSS before loading traces',
    unit: 'MB',
    over: 'single',
    values: [rssBefore],
  });
  ctx.add({
    id: 'jaeger.rss.after',
    part: 'jaeger',
    label: `Jaeger RSS holding ${batches * perBatch} more traces (${SPANS_PER_TRACE} spans each)`,
    unit: 'MB',
    over: 'single',
    values: [rssAfter],
    note: `${(((rssAfter - rssBefore) * 1024) / (batches * perBatch)).toFixed(1)} KB per trace (${ctx.config.jaeger.storage})`,
  });
  ctx.details.jaeger = { traces: batches * perBatch, spans: result.spansSent, rssBefore, rssAfter };
}
