import { describe, expect, it } from 'vitest';
import { initialScripts } from '../src/browser-cost.ts';
import { parsePrometheus, spanCounters, sumMetric } from '../src/metrics.ts';
import { BENCH_PORTS, parseOptions, withBenchPorts } from '../src/options.ts';
import { packageOf, summarizeCpuProfile } from '../src/profile.ts';
import { parseProcStat } from '@tracing-demo/stack/proc';

describe('options', () => {
  it('defaults to the offset ports, and the environment wins', () => {
    const work = '/r/bench-results/.work';
    expect(withBenchPorts({}, work).API_PORT).toBe(String(BENCH_PORTS.API_PORT));
    expect(withBenchPorts({ API_PORT: '4000' }, work).API_PORT).toBe('4000');
    // Jaeger's default storage, in the run's own (emptied) directory.
    expect(withBenchPorts({}, work).JAEGER_STORAGE).toBeUndefined();
    expect(withBenchPorts({}, work).JAEGER_BADGER_DIR).toBe(`${work}/jaeger`);
    expect(withBenchPorts({}, work).LOG_DIR).toBe(`${work}/logs/services`);
    expect(withBenchPorts({ JAEGER_BADGER_DIR: '/tmp/j' }, work).JAEGER_BADGER_DIR).toBe('/tmp/j');
    expect(withBenchPorts({ JAEGER_STORAGE: 'memstore' }, work).JAEGER_STORAGE).toBe('memstore');
  });

  it('parses flags, the smoke preset and rejects bad values', () => {
    const full = parseOptions([], {});
    const smoke = parseOptions(['--smoke'], {});
    expect(full !== 'help' && smoke !== 'help').toBe(true);
    if (full === 'help' || smoke === 'help') return;
    expect(full.rounds).toBeGreaterThan(smoke.rounds);
    expect(full.clicks).toBeGreaterThanOrEqual(50);
    const custom = parseOptions(['--rounds', '5', '--only', 'api,browser'], { BENCH_OLD_NODE: '' });
    expect(custom).toMatchObject({ rounds: 5, parts: ['api', 'browser'], oldNode: '' });
    expect(parseOptions([], {})).toMatchObject({ oldNode: '/usr/bin/node' });
    expect(parseOptions([], { BENCH_DURATION: '7' })).toMatchObject({ duration: 7 });
    expect(() => parseOptions(['--rounds', '0'], {})).toThrow(/positive/);
    expect(() => parseOptions(['--only', 'nope'], {})).toThrow(/unknown part/);
    expect(parseOptions(['--help'], {})).toBe('help');
  });
});

describe('Prometheus metrics', () => {
  const text = [
    '# HELP otelcol_receiver_accepted_spans Number of spans accepted',
    'otelcol_receiver_accepted_spans{receiver="otlp",transport="grpc"} 120',
    'otelcol_receiver_accepted_spans{receiver="otlp",transport="http"} 30',
    'otelcol_receiver_refused_spans{receiver="otlp",transport="http"} 0',
    'otelcol_exporter_sent_spans_total{exporter="otlp_grpc/jaeger"} 1.5e+02',
    'malformed line',
  ].join('\n');

  it('parses samples and sums them by name (with or without _total) and labels', () => {
    const samples = parsePrometheus(text);
    expect(samples).toHaveLength(4);
    expect(sumMetric(samples, 'otelcol_receiver_accepted_spans')).toBe(150);
    expect(sumMetric(samples, 'otelcol_receiver_accepted_spans', { transport: 'http' })).toBe(30);
    expect(sumMetric(samples, 'otelcol_exporter_sent_spans')).toBe(150);
    expect(sumMetric(samples, 'absent')).toBe(0);
    expect(spanCounters(samples, 'grpc')).toMatchObject({ accepted: 120, refused: 0, sent: 150 });
  });
});

describe('/proc and profiles', () => {
  it('parses /proc/<pid>/stat with a command name holding spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i));
    fields[1] = '4242'; // ppid
    fields[11] = '300'; // utime
    fields[12] = '45'; // stime
    expect(parseProcStat(`1234 (node (a b)) S ${fields.slice(1).join(' ')}`)).toEqual({
      pid: 1234,
      ppid: 4242,
      cpuTicks: 345,
    });
  });

  it('names the npm package of a script URL (pnpm layout) and sums self time per function', () => {
    expect(
      packageOf(
        'file:///r/node_modules/.pnpm/@opentelemetry+api@1.9.1/node_modules/@opentelemetry/api/build/x.js',
      ),
    ).toBe('@opentelemetry/api');
    expect(packageOf('file:///r/node_modules/.pnpm/fastify@5/node_modules/fastify/fastify.js')).toBe(
      'fastify',
    );
    expect(packageOf('node:internal/http')).toBe('node');
    expect(packageOf('file:///r/server/src/app.ts')).toBe('app');
    const summary = summarizeCpuProfile({
      startTime: 0,
      nodes: [
        { id: 1, callFrame: { functionName: '(idle)', url: '', lineNumber: 0 } },
        {
          id: 2,
          callFrame: { functionName: 'hot', url: 'file:///r/node_modules/fastify/a.js', lineNumber: 9 },
        },
        { id: 3, callFrame: { functionName: '', url: 'node:events', lineNumber: 1 } },
      ],
      samples: [1, 2, 2, 3],
      timeDeltas: [5000, 3000, 3000, 2000],
    });
    expect(summary.totalMs).toBe(8);
    expect(summary.topFunctions[0]).toMatchObject({
      name: 'hot',
      ms: 6,
      percent: 75,
      where: 'fastify/a.js:10',
    });
    expect(summary.byPackage.map((p) => p.name)).toEqual(['fastify', 'node']);
  });
});

describe('initialScripts', () => {
  it('lists script src and modulepreload hrefs of index.html, not stylesheets or data URLs', () => {
    const html = `<link rel="icon" href="data:,"><script src="/runtime-config.js"></script>
      <script type="module" crossorigin src="/assets/index-abc.js"></script>
      <link rel="modulepreload" crossorigin href="/assets/vendor-def.js">
      <link rel="stylesheet" href="/assets/index.css">`;
    expect(initialScripts(html)).toEqual([
      '/runtime-config.js',
      '/assets/index-abc.js',
      '/assets/vendor-def.js',
    ]);
  });
});
