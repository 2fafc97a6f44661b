/**
 * What a run measures and how long: command-line flags, each with an
 * environment variable of the same meaning (BENCH_*), and a `--smoke` preset
 * with tiny values that only proves every figure can still be produced.
 *
 * The ports default to an offset set so a benchmark never collides with a
 * stack on the default ports (tests running at the same time); every port
 * variable of stack/src/config.ts overrides its default here.
 */
import { parseArgs } from 'node:util';

/** The stack's ports for a benchmark run, unless the environment sets them. */
export const BENCH_PORTS = {
  WEB_PORT: 25173,
  API_PORT: 23000,
  INVENTORY_PORT: 23001,
  COLLECTOR_OTLP_GRPC_PORT: 24317,
  COLLECTOR_OTLP_HTTP_PORT: 24318,
  COLLECTOR_HEALTH_PORT: 33133,
  COLLECTOR_METRICS_PORT: 28888,
  JAEGER_UI_PORT: 36686,
  JAEGER_GRPC_QUERY_PORT: 36685,
  JAEGER_OTLP_GRPC_PORT: 34317,
  JAEGER_HEALTH_PORT: 33134,
  JAEGER_METRICS_PORT: 28889,
  GATEWAY_BASE_PORT: 34400,
} as const;

export const PARTS = ['start', 'browser', 'latency', 'api'] as const;
export type Part = (typeof PARTS)[number];

export interface BenchOptions {
  smoke: boolean;
  /** Which parts run (all by default). */
  parts: Part[];
  /** API load (1): A/B rounds per route and setup, seconds per round, autocannon connections, warm-up seconds. */
  rounds: number;
  duration: number;
  connections: number;
  warmup: number;
  /** Port of the tracing-OFF API (the ON one is the stack's own, on API_PORT); the extra APIs take the next ports. */
  apiOffPort: number;
  /**
   * The old runtime the API is also measured on (`node` of Node 20, which
   * the project ran on before), or '' for none. Skipped with a note when it
   * does not exist or is the pinned Node's major.
   */
  oldNode: string;
  /** Profile a tracing-ON API under load with `node --cpu-prof` and summarise it. */
  profile: boolean;
  /** API log level during the benchmark (both APIs), so logging is not what is measured. */
  apiLogLevel: string;
  /** Browser cost (2): page loads per build; first of two preview ports. */
  pageLoads: number;
  previewPort: number;
  /** Time to a complete trace (3): clicks. */
  clicks: number;
  /** Stack (5): cold starts (binaries cached). */
  startRounds: number;
  /** Where reports go. */
  outDir: string;
}

/** Debian's and Ubuntu's `node` (Node 20 on this machine): what the project ran on before Node 24. */
const DEFAULT_OLD_NODE = '/usr/bin/node';

const FULL: Omit<BenchOptions, 'smoke' | 'parts' | 'outDir' | 'profile' | 'apiLogLevel' | 'oldNode'> = {
  rounds: 3,
  duration: 5,
  connections: 50,
  warmup: 3,
  apiOffPort: 23100,
  pageLoads: 7,
  previewPort: 25180,
  clicks: 50,
  startRounds: 2,
};

const SMOKE: typeof FULL = {
  ...FULL,
  rounds: 1,
  duration: 1,
  connections: 5,
  warmup: 1,
  pageLoads: 1,
  clicks: 3,
  startRounds: 1,
};

export const USAGE = `Usage: npm run bench -- [options]

  --smoke                 tiny values: proves every figure is produced (CI), not how big it is
  --only <parts>          comma-separated subset of: ${PARTS.join(', ')}
  --rounds <n>            API load: A/B rounds per route and setup   (BENCH_ROUNDS, default ${FULL.rounds})
  --duration <s>          API load: seconds per round                (BENCH_DURATION, default ${FULL.duration})
  --connections <n>       API load: autocannon connections           (BENCH_CONNECTIONS, default ${FULL.connections})
  --warmup <s>            API load: warm-up seconds per API and route (BENCH_WARMUP, default ${FULL.warmup})
  --profile               also profile the traced API (node --cpu-prof) and list its top self-time functions
  --page-loads <n>        browser: page loads per build              (BENCH_PAGE_LOADS, default ${FULL.pageLoads})
  --clicks <n>            time to a complete trace: clicks           (BENCH_CLICKS, default ${FULL.clicks})
  --start-rounds <n>      stack starts measured                      (BENCH_START_ROUNDS, default ${FULL.startRounds})
  --out <dir>             reports directory                          (BENCH_OUT, default bench-results)

Ports: the stack's own variables (WEB_PORT, API_PORT, COLLECTOR_*_PORT, JAEGER_*_PORT) with an
offset set by default (API ${BENCH_PORTS.API_PORT}, web ${BENCH_PORTS.WEB_PORT}, Jaeger ${BENCH_PORTS.JAEGER_UI_PORT}…);
BENCH_API_OFF_PORT (default ${FULL.apiOffPort}, and the next six ports) for the untraced API and the other APIs
(and inventories) measured beside the stack's, BENCH_PREVIEW_PORT (default ${FULL.previewPort}, and the next port) for the two browser
builds. BENCH_OLD_NODE (default ${DEFAULT_OLD_NODE}): the old runtime the API is also measured on; '' for none.`;

function positiveNumber(name: string, raw: string | undefined, fallback: number, integer = true): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, got "${raw}"`);
  }
  return value;
}

/** Parses argv (without node and script) and the BENCH_* variables. */
export function parseOptions(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      help: { type: 'boolean', short: 'h' },
      smoke: { type: 'boolean' },
      only: { type: 'string' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      warmup: { type: 'string' },
      profile: { type: 'boolean' },
      'page-loads': { type: 'string' },
      clicks: { type: 'string' },
      'start-rounds': { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const smoke = values.smoke === true || env.BENCH_SMOKE === '1';
  const base = smoke ? SMOKE : FULL;
  const pick = (flag: string | undefined, variable: string) => flag ?? env[variable];

  const onlyRaw = pick(values.only, 'BENCH_ONLY');
  const parts: Part[] = onlyRaw
    ? onlyRaw.split(',').map((part) => {
        const name = part.trim();
        if (!(PARTS as readonly string[]).includes(name)) {
          throw new Error(`--only: unknown part "${name}" (known: ${PARTS.join(', ')})`);
        }
        return name as Part;
      })
    : [...PARTS];

  return {
    smoke,
    parts,
    rounds: positiveNumber('--rounds', pick(values.rounds, 'BENCH_ROUNDS'), base.rounds),
    duration: positiveNumber('--duration', pick(values.duration, 'BENCH_DURATION'), base.duration),
    connections: positiveNumber(
      '--connections',
      pick(values.connections, 'BENCH_CONNECTIONS'),
      base.connections,
    ),
    warmup: positiveNumber('--warmup', pick(values.warmup, 'BENCH_WARMUP'), base.warmup),
    apiOffPort: positiveNumber('BENCH_API_OFF_PORT', env.BENCH_API_OFF_PORT, base.apiOffPort),
    oldNode: env.BENCH_OLD_NODE ?? DEFAULT_OLD_NODE,
    profile: values.profile === true || env.BENCH_PROFILE === '1',
    apiLogLevel: env.BENCH_API_LOG_LEVEL || 'warn',
    pageLoads: positiveNumber('--page-loads', pick(values['page-loads'], 'BENCH_PAGE_LOADS'), base.pageLoads),
    previewPort: positiveNumber('BENCH_PREVIEW_PORT', env.BENCH_PREVIEW_PORT, base.previewPort),
    clicks: positiveNumber('--clicks', pick(values.clicks, 'BENCH_CLICKS'), base.clicks),
    startRounds: positiveNumber(
      '--start-rounds',
      pick(values['start-rounds'], 'BENCH_START_ROUNDS'),
      base.startRounds,
    ),
    outDir: pick(values.out, 'BENCH_OUT') || 'bench-results',
  };
}

/**
 * The environment with the benchmark's port defaults filled in where unset,
 * and its own directories under `workDir` (the run's scratch directory,
 * emptied at every run).
 */
export function withBenchPorts(
  env: Record<string, string | undefined>,
  workDir: string,
): Record<string, string | undefined> {
  const result = { ...env };
  for (const [name, value] of Object.entries(BENCH_PORTS)) {
    if (result[name] === undefined || result[name] === '') result[name] = String(value);
  }
  // Jaeger's default storage (Badger, on disk), as users run it, but in a
  // directory of the benchmark's own, empty at the start of every run: Badger
  // locks its directory (the one of a running `npm start`, .data/jaeger, must
  // not stop the benchmark's Jaeger), and what an earlier run left in it
  // would be in Jaeger's memory.
  if (!result.JAEGER_BADGER_DIR) result.JAEGER_BADGER_DIR = `${workDir}/jaeger`;
  // The services' log files too (LOG_DIR, docs/configuration.md), away from npm start's.
  if (!result.LOG_DIR) result.LOG_DIR = `${workDir}/logs/services`;
  return result;
}
