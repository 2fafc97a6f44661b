/**
 * Where batches of spans wait while the Collector does not answer: bounded
 * in spans and in age, so an outage costs a known amount of memory, never
 * more. Oldest spans go first: when the buffer is full (a new batch evicts
 * the oldest spans), and when a batch has waited longer than the age limit.
 * What was dropped, and why, is counted until the owner takes the count (it
 * reports it in one line per outage: resilient-exporter.ts).
 *
 * Batches are kept in the order they were exported (`seq`), also when a
 * batch that was taken out to be sent comes back after a failed attempt.
 */

export interface RetryBufferLimits {
  /** Spans kept at most; more evict the oldest. */
  maxSpans: number;
  /** A batch kept longer than this (ms) is dropped. */
  maxAgeMs: number;
}

/** The variables that set the limits, their defaults and bounds (docs/configuration.md lists them). */
export const RETRY_BUFFER_VARIABLES = {
  maxSpans: {
    name: 'OTEL_EXPORTER_OTLP_TRACES_RETRY_BUFFER_SIZE',
    // As many as the batch processor's queue (OTEL_BSP_MAX_QUEUE_SIZE): a
    // few MB at most.
    default: 8192,
    min: 1,
    max: 1_000_000,
    unit: 'spans',
  },
  maxAgeMs: {
    name: 'OTEL_EXPORTER_OTLP_TRACES_RETRY_MAX_AGE',
    // Five minutes: a Collector restart or redeploy fits; spans older than
    // that would land in traces nobody is looking at any more.
    default: 300_000,
    min: 1000,
    max: 3_600_000,
    unit: 'ms',
  },
} as const;

export const DEFAULT_RETRY_BUFFER_LIMITS: RetryBufferLimits = {
  maxSpans: RETRY_BUFFER_VARIABLES.maxSpans.default,
  maxAgeMs: RETRY_BUFFER_VARIABLES.maxAgeMs.default,
};

/**
 * Reads the limits from the environment. A bad value is not fatal (telemetry
 * must never stop a service, and the SDK treats its own bad OTEL_* values the
 * same way): `warn` gets one sentence naming the variable, and the default is
 * used. Unset or empty means the default.
 */
export function retryBufferLimitsFromEnv(
  env: Record<string, string | undefined>,
  warn: (line: string) => void,
): RetryBufferLimits {
  const read = (key: keyof RetryBufferLimits): number => {
    const variable = RETRY_BUFFER_VARIABLES[key];
    const raw = env[variable.name]?.trim();
    if (raw === undefined || raw === '') return variable.default;
    const value = Number(raw);
    if (/^[0-9]+$/.test(raw) && value >= variable.min && value <= variable.max) return value;
    warn(
      `${variable.name} must be a whole number of ${variable.unit} from ${variable.min} to ${variable.max}, ` +
        `got "${raw}"; using ${variable.default}.`,
    );
    return variable.default;
  };
  return { maxSpans: read('maxSpans'), maxAgeMs: read('maxAgeMs') };
}

/** A batch in the buffer, or taken out of it to be sent. */
export interface KeptBatch<T> {
  /** Export order: lower was exported first. */
  readonly seq: number;
  /** When it was first kept (the buffer's clock); its age counts from here. */
  readonly keptAt: number;
  readonly items: readonly T[];
}

/** How many items were dropped since the last `takeDropped()`, by reason. */
export interface DropCounts {
  /** Evicted by newer ones: the buffer held maxSpans. */
  full: number;
  /** Older than maxAgeMs. */
  expired: number;
}

export class RetryBuffer<T> {
  readonly limits: RetryBufferLimits;
  readonly #now: () => number;
  /** Sorted by seq. */
  #batches: KeptBatch<T>[] = [];
  #size = 0;
  #dropped: DropCounts = { full: 0, expired: 0 };

  constructor(limits: RetryBufferLimits, now: () => number = () => performance.now()) {
    this.limits = limits;
    this.#now = now;
  }

  /** Items waiting. */
  get size(): number {
    return this.#size;
  }

  /** Keeps a batch that failed for the first time. */
  keep(seq: number, items: readonly T[]): void {
    this.#insert({ seq, keptAt: this.#now(), items });
  }

  /** Puts back a batch from `takeOldest()` whose send failed; its age still counts from when it was first kept. */
  putBack(batch: KeptBatch<T>): void {
    this.#insert(batch);
  }

  /** Takes the oldest batch out (after dropping what has expired), or undefined if none is left. */
  takeOldest(): KeptBatch<T> | undefined {
    this.#expire();
    const batch = this.#batches.shift();
    if (batch) this.#size -= batch.items.length;
    return batch;
  }

  /** Drops everything that waits; counts nothing (the caller says why). Returns how many items. */
  clear(): number {
    const size = this.#size;
    this.#batches = [];
    this.#size = 0;
    return size;
  }

  /** The drops since the last call, and resets them. */
  takeDropped(): DropCounts {
    const dropped = this.#dropped;
    this.#dropped = { full: 0, expired: 0 };
    return dropped;
  }

  #insert(batch: KeptBatch<T>): void {
    if (batch.items.length === 0) return;
    let at = this.#batches.length;
    while (at > 0 && this.#batches[at - 1]!.seq > batch.seq) at--;
    this.#batches.splice(at, 0, batch);
    this.#size += batch.items.length;
    this.#expire();
    this.#evict();
  }

  #expire(): void {
    const oldest = this.#now() - this.limits.maxAgeMs;
    const kept = this.#batches.filter((batch) => batch.keptAt >= oldest);
    if (kept.length === this.#batches.length) return;
    const size = kept.reduce((sum, batch) => sum + batch.items.length, 0);
    this.#dropped.expired += this.#size - size;
    this.#batches = kept;
    this.#size = size;
  }

  /** Drops the oldest items (whole batches, then the head of the next one) until maxSpans fit. */
  #evict(): void {
    while (this.#size > this.limits.maxSpans) {
      const oldest = this.#batches[0]!;
      const excess = this.#size - this.limits.maxSpans;
      if (oldest.items.length <= excess) {
        this.#batches.shift();
        this.#size -= oldest.items.length;
        this.#dropped.full += oldest.items.length;
      } else {
        this.#batches[0] = { ...oldest, items: oldest.items.slice(excess) };
        this.#size -= excess;
        this.#dropped.full += excess;
      }
    }
  }
}
