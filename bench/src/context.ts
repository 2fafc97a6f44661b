import { randomBytes } from 'node:crypto';
import type { StackConfig } from '@tracing-demo/stack';
import type { BenchOptions } from './options.ts';
import { figure, type Figure, type FigureInput } from './report.ts';
import type { RunningStack } from './stack.ts';

/** What every part of the benchmark gets, and where it puts what it measured. */
export class BenchContext {
  readonly figures: Figure[] = [];
  readonly details: Record<string, unknown> = {};
  readonly notes: string[] = [];
  stack: RunningStack | undefined;
  readonly options: BenchOptions;
  readonly config: StackConfig;
  /** Scratch directory (builds, logs, profiles) inside the reports directory. */
  readonly workDir: string;

  constructor(options: BenchOptions, config: StackConfig, workDir: string) {
    this.options = options;
    this.config = config;
    this.workDir = workDir;
  }

  add(input: FigureInput): Figure {
    const made = figure(input);
    this.figures.push(made);
    return made;
  }

  note(text: string): void {
    this.notes.push(text);
    log(`note: ${text}`);
  }

  requireStack(): RunningStack {
    if (!this.stack) throw new Error('the stack is not running');
    return this.stack;
  }

  get collectorMetricsUrl(): string {
    return `http://${reach(this.config.bindHost)}:${this.config.collector.metricsPort}/metrics`;
  }
}

/** Clients on this machine reach a listener bound to 0.0.0.0 through loopback. */
export function reach(host: string): string {
  return host === '0.0.0.0' ? '127.0.0.1' : host;
}

export function log(message: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** A fresh sampled W3C traceparent; returns its parts too. */
export function newTraceparent(): { header: string; traceId: string; spanId: string } {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { header: `00-${traceId}-${spanId}-01`, traceId, spanId };
}
