import { setTimeout as delay } from 'node:timers/promises';
import { scrape, spanCounters, type SpanCounters } from './metrics.ts';

/**
 * Waits until the Collector has settled: the accepted span count has not
 * moved for `quietMs`, and everything it ever accepted has left it (sent to
 * Jaeger, or failed for good), so the next measurement starts from a quiet
 * pipeline. Returns the counters then; after `timeoutMs` it returns what it
 * saw last with `settled: false`.
 */
export async function waitForQuietCollector(
  metricsUrl: string,
  { quietMs = 600, timeoutMs = 15_000 }: { quietMs?: number; timeoutMs?: number } = {},
): Promise<{ counters: SpanCounters; settled: boolean }> {
  const started = performance.now();
  let last = spanCounters(await scrape(metricsUrl));
  let lastChange = performance.now();
  for (;;) {
    await delay(100);
    const now = spanCounters(await scrape(metricsUrl));
    if (now.accepted !== last.accepted) lastChange = performance.now();
    last = now;
    const exported = now.sent + now.sendFailed + now.enqueueFailed >= now.accepted;
    if (performance.now() - lastChange >= quietMs && exported) return { counters: now, settled: true };
    if (performance.now() - started > timeoutMs) return { counters: now, settled: false };
  }
}
