/**
 * (5) The stack as a whole: time from the first command to every health URL
 * answering (binaries cached; the web app's production build is part of
 * the start), and the sum of the RSS of all processes and their
 * children once idle. The last start is kept running for the other parts.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { BenchContext } from './context.ts';
import { log } from './context.ts';
import { MB } from './procs.ts';
import { startStack, stackRss } from './stack.ts';
import { median } from './stats.ts';

/** Idle RSS: median of a few samples taken after the stack has settled. */
async function idleRss(ctx: BenchContext): Promise<{ total: number; byProcess: Record<string, number> }> {
  const stack = ctx.requireStack();
  await delay(ctx.options.smoke ? 500 : 3000);
  const samples: ReturnType<typeof stackRss>[] = [];
  for (let i = 0; i < 5; i += 1) {
    samples.push(stackRss(stack));
    await delay(200);
  }
  const byProcess: Record<string, number> = {};
  for (const name of Object.keys(samples[0]!.byProcess))
    byProcess[name] = median(samples.map((s) => s.byProcess[name]!));
  return { total: median(samples.map((s) => s.total)), byProcess };
}

export async function runStart(ctx: BenchContext, measure: boolean): Promise<void> {
  const rounds = measure ? ctx.options.startRounds : 1;
  const starts: { startMs: number; readyMs: Record<string, number>; idleRss?: Record<string, number> }[] = [];
  const idle: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    log(`stack: starting (${round + 1}/${rounds})`);
    const stack = await startStack(ctx.config, ctx.workDir);
    ctx.stack = stack;
    log(
      `stack: healthy in ${(stack.startMs / 1000).toFixed(2)} s (${Object.entries(stack.readyMs)
        .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(2)} s`)
        .join(', ')})`,
    );
    const entry: (typeof starts)[number] = { startMs: stack.startMs, readyMs: stack.readyMs };
    if (measure) {
      const rss = await idleRss(ctx);
      idle.push(rss.total / MB);
      entry.idleRss = Object.fromEntries(
        Object.entries(rss.byProcess).map(([k, v]) => [k, Math.round(v / MB)]),
      );
      log(`stack: idle RSS ${(rss.total / MB).toFixed(0)} MB ${JSON.stringify(entry.idleRss)}`);
    }
    starts.push(entry);
    if (round < rounds - 1) {
      await stack.stop();
      ctx.stack = undefined;
    }
  }
  if (!measure) return;
  ctx.details.start = starts;
  ctx.add({
    id: 'stack.start_s',
    part: 'start',
    label: 'Start, command to every process healthy (web: build + its server)',
    unit: 's',
    over: 'rounds',
    values: starts.map((s) => s.startMs / 1000),
    goal: { op: '<=', value: 10 },
    note: `time to healthy per process, median: ${['jaeger', 'collector', 'api', 'web']
      .map((name) => `${name} ${(median(starts.map((s) => s.readyMs[name] ?? 0)) / 1000).toFixed(2)} s`)
      .join(', ')}`,
  });
  ctx.add({
    id: 'stack.rss.idle',
    part: 'start',
    label: 'RSS of the stack, idle (all processes and children)',
    unit: 'MB',
    over: 'rounds',
    values: idle,
    // NodeSDK loads its metrics and logs packages at import, used or not: about 20 MB per Node service.
    goal: { op: '<=', value: 420 },
    note: `per process (last start): ${Object.entries(starts[starts.length - 1]!.idleRss ?? {})
      .map(([name, mb]) => `${name} ${mb} MB`)
      .join(', ')}`,
  });
}
