/**
 * Reading the Collector's (and Jaeger's) own Prometheus metrics: the counts of
 * spans accepted, refused and exported are how the benchmark knows nothing was
 * dropped. Names differ between the two (`_total` suffix or not), so both are
 * accepted.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format (comments and malformed lines are skipped). */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]!] = pair[2]!;
    }
    const value = Number(match[3]);
    if (!Number.isNaN(value)) samples.push({ name: match[1]!, labels, value });
  }
  return samples;
}

/**
 * Sum of the samples of metric `name` (or `name_total`) whose labels include
 * every label of `where`. 0 when there is none (a counter not incremented yet
 * is often not exported at all).
 */
export function sumMetric(
  samples: readonly Sample[],
  name: string,
  where: Record<string, string> = {},
): number {
  return samples
    .filter((s) => s.name === name || s.name === `${name}_total`)
    .filter((s) => Object.entries(where).every(([key, value]) => s.labels[key] === value))
    .reduce((sum, s) => sum + s.value, 0);
}

export async function scrape(url: string): Promise<Sample[]> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return parsePrometheus(await response.text());
}

/** The span counters of a Collector that say whether anything was dropped. */
export interface SpanCounters {
  /** Accepted by the OTLP receiver (per transport, or all). */
  accepted: number;
  refused: number;
  failed: number;
  /** Sent to Jaeger by the exporter. */
  sent: number;
  sendFailed: number;
  enqueueFailed: number;
}

export function spanCounters(samples: readonly Sample[], transport?: 'grpc' | 'http'): SpanCounters {
  const where: Record<string, string> = transport ? { transport } : {};
  return {
    accepted: sumMetric(samples, 'otelcol_receiver_accepted_spans', where),
    refused: sumMetric(samples, 'otelcol_receiver_refused_spans', where),
    failed: sumMetric(samples, 'otelcol_receiver_failed_spans', where),
    sent: sumMetric(samples, 'otelcol_exporter_sent_spans'),
    sendFailed: sumMetric(samples, 'otelcol_exporter_send_failed_spans'),
    enqueueFailed: sumMetric(samples, 'otelcol_exporter_enqueue_failed_spans'),
  };
}

export function counterDelta(after: SpanCounters, before: SpanCounters): SpanCounters {
  return {
    accepted: after.accepted - before.accepted,
    refused: after.refused - before.refused,
    failed: after.failed - before.failed,
    sent: after.sent - before.sent,
    sendFailed: after.sendFailed - before.sendFailed,
    enqueueFailed: after.enqueueFailed - before.enqueueFailed,
  };
}
