/**
 * The single source of truth for every port, endpoint and service name of the
 * stack. The launcher, Playwright, the web app's Vite config, the API and the
 * Collector/Jaeger configs (through the same environment variable names) all
 * read from here, so changing a port is one environment variable.
 */

export const SERVICE_NAMES = { web: 'web', api: 'api', inventory: 'inventory' } as const;

/**
 * API paths that serve the page's trace viewer (`/traces/:traceId`), trace
 * list (`/traces`) and status strip (`/status`). They are never traced, on
 * either side: traced, every drawing of a trace (or of the list) would make
 * a new trace. A prefix ends in `/`.
 */
export const UNTRACED_API_PATHS = ['/traces/', '/traces', '/status'] as const;

/** Whether the path (query string allowed) of an API URL is one of UNTRACED_API_PATHS. */
export function isUntracedApiPath(path: string): boolean {
  const pathname = withoutQuery(path);
  return UNTRACED_API_PATHS.some((p) => (p.endsWith('/') ? pathname.startsWith(p) : pathname === p));
}

/** The path without its query string. */
function withoutQuery(path: string): string {
  const queryAt = path.indexOf('?');
  return queryAt === -1 ? path : path.slice(0, queryAt);
}

/**
 * The health route of every Node service (`GET /healthz`, `{"status":"ok"}`):
 * the launcher waits on it and the API's `GET /status` polls the inventory's.
 * No service traces it (its route has `otel: false` in every service): a poll a
 * second would otherwise make a one-span trace a second.
 */
export const HEALTH_PATH = '/healthz';

/** Environment variables a user may set, with their defaults. */
export const DEFAULTS = {
  /** Address every native process binds; 127.0.0.1 keeps the demo off the network. */
  BIND_HOST: '127.0.0.1',
  WEB_PORT: 5173,
  API_PORT: 3000,
  /** The inventory service the API calls for each item's stock (not exposed to the browser). */
  INVENTORY_PORT: 3001,
  COLLECTOR_OTLP_GRPC_PORT: 4317,
  COLLECTOR_OTLP_HTTP_PORT: 4318,
  COLLECTOR_HEALTH_PORT: 13133,
  COLLECTOR_METRICS_PORT: 8888,
  JAEGER_UI_PORT: 16686,
  JAEGER_GRPC_QUERY_PORT: 16685,
  JAEGER_OTLP_GRPC_PORT: 14317,
  JAEGER_HEALTH_PORT: 13134,
  JAEGER_METRICS_PORT: 8889,
  /** Where Jaeger keeps traces: badger_store (on disk, survives restarts) or memstore. */
  JAEGER_STORAGE: 'badger_store',
  /** Badger's data directory; a relative path is relative to the repo root (git-ignored). */
  JAEGER_BADGER_DIR: '.data/jaeger',
  /** The inventory's SQLite file lives here; relative to the repo root (git-ignored). */
  INVENTORY_DATA_DIR: '.data/inventory',
  /** Each service also appends its JSON log lines to <LOG_DIR>/<service>.log; relative to the repo root. */
  LOG_DIR: '.data/logs',
  /**
   * `single`: one Collector. `gateway`: the Collector on the ports above is an
   * agent that load-balances by trace ID to GATEWAY_COUNT gateway Collectors,
   * which tail-sample and export to Jaeger (docs/scale-out.md).
   */
  STACK_TOPOLOGY: 'single',
  GATEWAY_COUNT: 2,
  /** Gateway i (0, 1, …) listens on BASE+10i (OTLP/gRPC), +1 (health), +2 (metrics), +3 (OTLP/HTTP, unused). */
  GATEWAY_BASE_PORT: 14400,
  /** Tail sampling in the gateways: keep every trace with an error, every trace slower than this… */
  TAIL_SAMPLING_LATENCY_MS: 1000,
  /** …and this share of the others. */
  TAIL_SAMPLING_PERCENT: 10,
  /** How long a gateway waits for a trace's spans before it decides (at most 5 s: a demo). */
  TAIL_SAMPLING_DECISION_WAIT_MS: 3000,
} as const;

export const STACK_TOPOLOGIES = ['single', 'gateway'] as const;
export type StackTopology = (typeof STACK_TOPOLOGIES)[number];

/** The storage backends of collector/jaeger-config.yaml. */
export const JAEGER_STORAGES = ['badger_store', 'memstore'] as const;
export type JaegerStorage = (typeof JAEGER_STORAGES)[number];

type Env = Record<string, string | undefined>;

export interface StackConfig {
  bindHost: string;
  web: { port: number; url: string; allowedOrigins: string[] };
  api: { port: number; url: string };
  inventory: {
    port: number;
    url: string;
    /** As given (the launcher resolves a relative one against the repo root). */
    dataDir: string;
  };
  /** As given (the launcher resolves a relative one against the repo root). */
  logDir: string;
  collector: {
    grpcPort: number;
    httpPort: number;
    healthPort: number;
    metricsPort: number;
    /** Where the API's OTLP/gRPC exporter sends spans. */
    grpcEndpoint: string;
    /** Where the browser's OTLP/HTTP exporter posts spans. */
    httpTracesUrl: string;
    healthUrl: string;
  };
  jaeger: {
    uiPort: number;
    grpcQueryPort: number;
    otlpGrpcPort: number;
    healthPort: number;
    metricsPort: number;
    uiUrl: string;
    /** Host:port the Collector exports to. */
    otlpGrpcEndpoint: string;
    healthUrl: string;
    /** The storage backend traces are written to and read from. */
    storage: JaegerStorage;
    /** Badger's data directory as given (the launcher resolves a relative one against the repo root). */
    badgerDir: string;
  };
  topology: StackTopology;
  /** The gateway tier (empty in the `single` topology). */
  gateways: GatewayConfig[];
  tailSampling: { latencyMs: number; percent: number; decisionWaitMs: number };
}

export interface GatewayConfig {
  /** `gateway-1`, `gateway-2`…: its process name, and the `collector.gateway` resource attribute it adds. */
  name: string;
  grpcPort: number;
  healthPort: number;
  metricsPort: number;
  httpPort: number;
  /** host:port the agent's load_balancing exporter sends to. */
  grpcEndpoint: string;
  healthUrl: string;
}

/** A configuration value that cannot be used; the message names the variable. */
export class StackConfigError extends Error {
  override name = 'StackConfigError';
}

function port(env: Env, name: keyof typeof DEFAULTS): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return DEFAULTS[name] as number;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new StackConfigError(`${name} must be a port number between 1 and 65535, got "${raw}".`);
  }
  return value;
}

/** Browsers may open the page as localhost or 127.0.0.1: both are allowed by default. */
function defaultWebOrigins(webPort: number): string[] {
  return [`http://localhost:${webPort}`, `http://127.0.0.1:${webPort}`];
}

function origins(env: Env, webPort: number): string[] {
  const raw = env.WEB_ORIGINS;
  if (raw === undefined || raw.trim() === '') return defaultWebOrigins(webPort);
  const list = raw
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of list) {
    // An origin is scheme://host[:port] with nothing after it; a wildcard would
    // hand every site the right to send spans and traceparent headers.
    if (!/^https?:\/\/[^/\s*]+$/.test(origin)) {
      throw new StackConfigError(
        `WEB_ORIGINS must list exact origins like http://localhost:5173, got "${origin}".`,
      );
    }
  }
  return list;
}

function integer(env: Env, name: keyof typeof DEFAULTS, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return DEFAULTS[name] as number;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new StackConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}".`);
  }
  return value;
}

function topology(env: Env): StackTopology {
  const raw = env.STACK_TOPOLOGY?.trim();
  if (raw === undefined || raw === '') return DEFAULTS.STACK_TOPOLOGY as StackTopology;
  if (!(STACK_TOPOLOGIES as readonly string[]).includes(raw)) {
    throw new StackConfigError(`STACK_TOPOLOGY must be one of ${STACK_TOPOLOGIES.join(', ')}, got "${raw}".`);
  }
  return raw as StackTopology;
}

function gateways(env: Env, reachHost: string, kind: StackTopology): GatewayConfig[] {
  if (kind !== 'gateway') return [];
  const count = integer(env, 'GATEWAY_COUNT', 1, 8);
  const base = port(env, 'GATEWAY_BASE_PORT');
  if (base + 10 * count > 65535)
    throw new StackConfigError(`GATEWAY_BASE_PORT ${base} leaves no room for ${count} gateways.`);
  return Array.from({ length: count }, (_, i) => {
    const grpcPort = base + 10 * i;
    return {
      name: `gateway-${i + 1}`,
      grpcPort,
      healthPort: grpcPort + 1,
      metricsPort: grpcPort + 2,
      httpPort: grpcPort + 3,
      grpcEndpoint: `${reachHost}:${grpcPort}`,
      healthUrl: `http://${reachHost}:${grpcPort + 1}/`,
    };
  });
}

function jaegerStorage(env: Env): JaegerStorage {
  const raw = env.JAEGER_STORAGE?.trim();
  if (raw === undefined || raw === '') return DEFAULTS.JAEGER_STORAGE;
  if (!(JAEGER_STORAGES as readonly string[]).includes(raw)) {
    throw new StackConfigError(`JAEGER_STORAGE must be one of ${JAEGER_STORAGES.join(', ')}, got "${raw}".`);
  }
  return raw as JaegerStorage;
}

/**
 * Reads the stack configuration from environment variables, falling back to
 * the defaults above. Throws StackConfigError naming the variable at fault.
 */
export function loadStackConfig(env: Env = process.env): StackConfig {
  const bindHost = env.BIND_HOST?.trim() || DEFAULTS.BIND_HOST;
  // Clients on this machine reach a listener bound to 0.0.0.0 through loopback.
  const reachHost = bindHost === '0.0.0.0' ? '127.0.0.1' : bindHost;
  const webPort = port(env, 'WEB_PORT');
  const stackTopology = topology(env);
  const apiPort = port(env, 'API_PORT');
  const inventoryPort = port(env, 'INVENTORY_PORT');
  const collector = {
    grpcPort: port(env, 'COLLECTOR_OTLP_GRPC_PORT'),
    httpPort: port(env, 'COLLECTOR_OTLP_HTTP_PORT'),
    healthPort: port(env, 'COLLECTOR_HEALTH_PORT'),
    metricsPort: port(env, 'COLLECTOR_METRICS_PORT'),
  };
  const jaeger = {
    uiPort: port(env, 'JAEGER_UI_PORT'),
    grpcQueryPort: port(env, 'JAEGER_GRPC_QUERY_PORT'),
    otlpGrpcPort: port(env, 'JAEGER_OTLP_GRPC_PORT'),
    healthPort: port(env, 'JAEGER_HEALTH_PORT'),
    metricsPort: port(env, 'JAEGER_METRICS_PORT'),
  };
  return {
    bindHost,
    web: {
      port: webPort,
      url: env.WEB_URL || `http://${reachHost}:${webPort}`,
      allowedOrigins: origins(env, webPort),
    },
    api: { port: apiPort, url: env.API_URL || `http://${reachHost}:${apiPort}` },
    inventory: {
      port: inventoryPort,
      url: env.INVENTORY_URL || `http://${reachHost}:${inventoryPort}`,
      dataDir: env.INVENTORY_DATA_DIR?.trim() || DEFAULTS.INVENTORY_DATA_DIR,
    },
    logDir: env.LOG_DIR?.trim() || DEFAULTS.LOG_DIR,
    collector: {
      ...collector,
      grpcEndpoint: `http://${reachHost}:${collector.grpcPort}`,
      httpTracesUrl:
        env.COLLECTOR_OTLP_HTTP_TRACES_URL || `http://${reachHost}:${collector.httpPort}/v1/traces`,
      // Set where the Collector is not on this host (the API container reaches it by service name).
      healthUrl: env.COLLECTOR_HEALTH_URL || `http://${reachHost}:${collector.healthPort}/`,
    },
    jaeger: {
      ...jaeger,
      uiUrl: env.JAEGER_URL || `http://${reachHost}:${jaeger.uiPort}`,
      otlpGrpcEndpoint: `${reachHost}:${jaeger.otlpGrpcPort}`,
      healthUrl: env.JAEGER_HEALTH_URL || `http://${reachHost}:${jaeger.healthPort}/status`,
      storage: jaegerStorage(env),
      badgerDir: env.JAEGER_BADGER_DIR?.trim() || DEFAULTS.JAEGER_BADGER_DIR,
    },
    topology: stackTopology,
    gateways: gateways(env, reachHost, stackTopology),
    tailSampling: {
      latencyMs: integer(env, 'TAIL_SAMPLING_LATENCY_MS', 1, 3_600_000),
      percent: integer(env, 'TAIL_SAMPLING_PERCENT', 0, 100),
      decisionWaitMs: integer(env, 'TAIL_SAMPLING_DECISION_WAIT_MS', 100, 5000),
    },
  };
}

/** Link to one trace in the Jaeger UI. */
export function jaegerTraceUrl(jaegerUiUrl: string, traceId: string): string {
  return `${jaegerUiUrl.replace(/\/$/, '')}/trace/${traceId}`;
}
