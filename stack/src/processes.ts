/**
 * The processes of the native stack as data for the supervisor
 * (supervisor.ts): program, argument array, environment, health URL, ports,
 * dependencies, restart policy. `npm start`, Playwright's stack, the fault
 * specs, the benchmark and the soak all start what this file describes; the
 * options (web mode, tracing, node flags) are the only way to vary it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  HEALTH_PATH,
  loadStackConfig,
  SERVICE_NAMES,
  type GatewayConfig,
  type StackConfig,
  type StackTopology,
} from './config.ts';
import { RESTART_ON_FAILURE, type ProcessSpec, type RestartPolicy } from './supervisor.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COLLECTOR_DIR = `${REPO_ROOT}collector`;

export const BINARIES = {
  collector: `${COLLECTOR_DIR}/bin/otelcol-tracing-demo`,
  jaeger: `${COLLECTOR_DIR}/bin/jaeger`,
};

/** `gateway-1`… exist in the `gateway` topology only (STACK_TOPOLOGY). */
export type ProcessName = 'jaeger' | 'collector' | 'inventory' | 'api' | 'web' | `gateway-${number}`;

/** A process of the stack: the supervisor's description with the stack's own names. */
export interface StackProcess extends ProcessSpec {
  name: ProcessName;
}

/** How the web app is served: Vite's dev server, or the production build (web/serve.ts). */
export type WebMode = 'dev' | 'preview';

export interface StackProcessOptions {
  /** Default `preview` (`npm start`, the tests and the benchmark); `WEB_MODE=dev` for `npm start` with Vite's dev server. */
  webMode?: WebMode;
  /** Where the preview build goes. Default web/dist; a private stack builds elsewhere for its own ports. */
  webOutDir?: string;
  /** The OpenTelemetry preload of the Node services. Default true (the benchmark compares with false). */
  traced?: boolean;
  /** More flags for the Node services' `node`, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  /** Default LOG_LEVEL of the Node services (a LOG_LEVEL in the environment wins). Default `info`. */
  logLevel?: string;
  restart?: RestartPolicy;
}

/**
 * Node's compile cache for the Node processes (NODE_COMPILE_CACHE; an own
 * value in the environment wins): besides V8's code cache it keeps the
 * type-stripped source of every .ts file, so once warm a service never loads
 * Node's TypeScript stripper (swc as WebAssembly, about 18 MB per process)
 * and starts sooner. A cache: deleted with node_modules, rebuilt on the next start.
 */
export const NODE_COMPILE_CACHE =
  process.env.NODE_COMPILE_CACHE || `${REPO_ROOT}node_modules/.cache/node-compile-cache`;

/** Vite's own entry point, run by this very node: no shell or npm shim between the supervisor and Vite. */
const VITE = `${REPO_ROOT}web/node_modules/vite/bin/vite.js`;
/**
 * The server of the production build: a small node:http + sirv server with
 * the headers `vite preview` sent, in half its memory (it does not
 * load Vite).
 */
const WEB_SERVER = `${REPO_ROOT}web/serve.ts`;

/** Environment every process receives: the same variable names the configs read. */
export function stackEnv(config: StackConfig): Record<string, string> {
  return {
    BIND_HOST: config.bindHost,
    WEB_PORT: String(config.web.port),
    API_PORT: String(config.api.port),
    INVENTORY_PORT: String(config.inventory.port),
    INVENTORY_URL: config.inventory.url,
    // Absolute: each service runs in its own directory.
    INVENTORY_DATA_DIR: resolve(REPO_ROOT, config.inventory.dataDir),
    LOG_DIR: resolve(REPO_ROOT, config.logDir),
    COLLECTOR_OTLP_GRPC_PORT: String(config.collector.grpcPort),
    COLLECTOR_OTLP_HTTP_PORT: String(config.collector.httpPort),
    COLLECTOR_HEALTH_PORT: String(config.collector.healthPort),
    COLLECTOR_METRICS_PORT: String(config.collector.metricsPort),
    // A YAML list in one variable: the Collector's config expands it to a list.
    COLLECTOR_CORS_ALLOWED_ORIGINS: `[${config.web.allowedOrigins.join(', ')}]`,
    JAEGER_OTLP_GRPC_ENDPOINT: config.jaeger.otlpGrpcEndpoint,
    JAEGER_UI_PORT: String(config.jaeger.uiPort),
    JAEGER_GRPC_QUERY_PORT: String(config.jaeger.grpcQueryPort),
    JAEGER_OTLP_GRPC_PORT: String(config.jaeger.otlpGrpcPort),
    JAEGER_HEALTH_PORT: String(config.jaeger.healthPort),
    JAEGER_METRICS_PORT: String(config.jaeger.metricsPort),
    JAEGER_STORAGE: config.jaeger.storage,
    // Absolute: Jaeger runs in collector/, the default is relative to the repo root.
    JAEGER_BADGER_DIR: resolve(REPO_ROOT, config.jaeger.badgerDir),
    WEB_ORIGINS: config.web.allowedOrigins.join(','),
    STACK_TOPOLOGY: config.topology,
    // The gateway topology: the agent's load-balancing targets (a YAML list in
    // one variable) and the gateways' tail-sampling policy.
    GATEWAY_ENDPOINTS: `[${config.gateways.map((g) => g.grpcEndpoint).join(', ')}]`,
    TAIL_SAMPLING_LATENCY_MS: String(config.tailSampling.latencyMs),
    TAIL_SAMPLING_PERCENT: String(config.tailSampling.percent),
    TAIL_SAMPLING_DECISION_WAIT_MS: String(config.tailSampling.decisionWaitMs),
  };
}

type NodeServiceName = 'inventory' | 'api';

/**
 * The OpenTelemetry SDK's settings for the Node services, in its standard
 * variables: each service's src/tracing.ts (NodeSDK) reads these and no
 * configuration of this project. Those that tune the SDK take a value from
 * the environment (`OTEL_BSP_SCHEDULE_DELAY=1000 npm start`); the service
 * name and the endpoint follow the stack's configuration.
 */
export const OTEL_SERVICE_DEFAULTS = {
  // NodeSDK would also make a metrics and a logs pipeline (each with its own
  // OTLP exporter): this demo exports traces only.
  OTEL_METRICS_EXPORTER: 'none',
  OTEL_LOGS_EXPORTER: 'none',
  // The exporters speak OTLP/gRPC: NodeSDK's own one too, if a service drops
  // its optional exporter (NodeSDK's default protocol is http/protobuf).
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
  // service.name and OTEL_RESOURCE_ATTRIBUTES only, not the host and process
  // detectors' dozen attributes: nobody here reads them, and Jaeger's Badger
  // writes an index entry per resource attribute of every span
  // (docs/performance.md).
  OTEL_NODE_RESOURCE_DETECTORS: 'env',
  // Export ended spans after 200 ms instead of 5 s: a trace is complete in
  // Jaeger well under a second after the response.
  OTEL_BSP_SCHEDULE_DELAY: '200',
  // Under load, batches of 2048 spans instead of 512: a quarter of the export
  // calls. The queue holds four batches, so a slow export drops no span.
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2048',
  OTEL_BSP_MAX_QUEUE_SIZE: '8192',
  // One export call may take 2 s, not 10: a Collector that accepts
  // connections but never answers would otherwise hold a shutdown until the
  // forced exit. A call that times out is kept and resent.
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '2000',
  // No attribute stored unbounded (a 10 KB query string in url.query).
  OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '2048',
  // The SDK's warnings and errors on stderr (export failures are the exporter's few lines).
  OTEL_LOG_LEVEL: 'warn',
} as const;

/** The OTEL_* variables of one Node service (see {@link OTEL_SERVICE_DEFAULTS}). */
export function serviceOtelEnv(
  config: StackConfig,
  service: NodeServiceName,
  env: Record<string, string | undefined> = process.env,
): Record<string, string> {
  const tuned = Object.fromEntries(
    Object.entries(OTEL_SERVICE_DEFAULTS).map(([name, value]) => [name, env[name] || value]),
  );
  return {
    OTEL_SERVICE_NAME: SERVICE_NAMES[service],
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: config.collector.grpcEndpoint,
    ...tuned,
  };
}

/**
 * V8 flags of the Node services (natively and in their image, server/Dockerfile):
 * a young generation of 16 MB per semi-space. The batch processor holds each
 * ended span for up to OTEL_BSP_SCHEDULE_DELAY (200 ms); in a smaller young
 * generation (4 MB) a traced service's spans and their export buffers outlive
 * a scavenge and are promoted, and the garbage collector then took a third
 * of the traced API's added CPU per request (docs/performance.md). It costs
 * about 10 MB of resident memory per service.
 */
export const NODE_SERVICE_FLAGS = ['--max-semi-space-size=16'];

/**
 * The services run as TypeScript on this very node, which must strip types
 * itself (Node 22.18 / 23.6 and later). Node 20 on PATH with no bootstrap in
 * between (e.g. `corepack pnpm test:e2e`) would otherwise show as services
 * that crash at start.
 */
function checkTypeStripping(): void {
  if (!process.features.typescript) {
    throw new Error(
      `Node.js ${process.version} cannot run the services' TypeScript: use \`npm start\` / \`npm test\` (they run the Node.js pinned in .node-version) or put that Node first on PATH.`,
    );
  }
}

/**
 * One of the Node services, described for the supervisor: `node` (this very
 * binary, which strips the TypeScript types itself: no loader), the tracing
 * preload when `traced`, and the service's entry point. The benchmark also
 * starts extra copies of it (untraced, profiled) from here, under other names
 * and ports.
 */
export function nodeService(
  config: StackConfig,
  service: NodeServiceName,
  options: StackProcessOptions & { env?: Record<string, string> } = {},
): StackProcess {
  const { traced = true, nodeFlags = [], logLevel = 'info', restart = RESTART_ON_FAILURE } = options;
  checkTypeStripping();
  const url = service === 'api' ? config.api.url : config.inventory.url;
  return {
    name: service,
    program: process.execPath,
    args: [
      ...NODE_SERVICE_FLAGS,
      ...nodeFlags,
      ...(traced ? ['--import', './src/tracing.ts'] : []),
      './src/server.ts',
    ],
    cwd: `${REPO_ROOT}${service === 'api' ? 'server' : 'inventory'}`,
    env: {
      ...stackEnv(config),
      ...serviceOtelEnv(config, service),
      LOG_LEVEL: process.env.LOG_LEVEL ?? logLevel,
      NODE_COMPILE_CACHE,
      ...options.env,
    },
    // Untraced in every service: polling it makes no span.
    healthUrl: `${url}${HEALTH_PATH}`,
    ports: service === 'api' ? { API: config.api.port } : { inventory: config.inventory.port },
    traced,
    // The API calls the inventory; both export to the Collector. Each
    // exporter's first connection should find its receiver up (a refused gRPC
    // connection makes the channel back off for seconds).
    dependsOn: service === 'api' ? ['collector', 'inventory'] : ['collector'],
    restart,
  };
}

/** `--config` for the Collector binary: the shared config, and an overlay (in collector/) merged over it. */
function collectorConfigArgs(overlay: string): string[] {
  return ['--config', `${COLLECTOR_DIR}/otelcol-config.yaml`, '--config', `${COLLECTOR_DIR}/${overlay}`];
}

/**
 * The overlay that makes the Collector on the usual ports what the topology
 * needs: `otelcol-topology-single.yaml` changes nothing; with
 * `otelcol-topology-gateway.yaml` it is the agent, which load-balances to the
 * gateways. compose.yaml mounts the same file, named by STACK_TOPOLOGY.
 */
export function topologyOverlay(topology: StackTopology): string {
  return `otelcol-topology-${topology}.yaml`;
}

/**
 * A gateway Collector: the same binary and config as the single Collector,
 * with the gateway overlay (tail sampling, collector.gateway) and ports of
 * its own, given through the very variables the shared config reads.
 */
function gatewayProcess(
  config: StackConfig,
  gateway: GatewayConfig,
  env: Record<string, string>,
  restart: RestartPolicy,
): StackProcess {
  return {
    name: gateway.name as ProcessName,
    program: BINARIES.collector,
    args: collectorConfigArgs('otelcol-gateway.yaml'),
    cwd: COLLECTOR_DIR,
    env: {
      ...env,
      GATEWAY_NAME: gateway.name,
      COLLECTOR_OTLP_GRPC_PORT: String(gateway.grpcPort),
      COLLECTOR_OTLP_HTTP_PORT: String(gateway.httpPort),
      COLLECTOR_HEALTH_PORT: String(gateway.healthPort),
      COLLECTOR_METRICS_PORT: String(gateway.metricsPort),
    },
    healthUrl: gateway.healthUrl,
    ports: {
      [`${gateway.name} OTLP/gRPC receiver`]: gateway.grpcPort,
      [`${gateway.name} OTLP/HTTP receiver`]: gateway.httpPort,
      [`${gateway.name} health check`]: gateway.healthPort,
      [`${gateway.name} metrics`]: gateway.metricsPort,
    },
    traced: false,
    dependsOn: ['jaeger'],
    restart,
  };
}

/** The processes of the native stack, in dependency order (five, plus the gateways in the gateway topology). */
export function stackProcesses(
  config: StackConfig = loadStackConfig(),
  options: StackProcessOptions = {},
): StackProcess[] {
  const { webMode = 'preview', webOutDir, restart = RESTART_ON_FAILURE } = options;
  const env = stackEnv(config);
  const outDir = webOutDir ? ['--outDir', webOutDir] : [];
  return [
    {
      name: 'jaeger',
      program: BINARIES.jaeger,
      args: ['--config', `${COLLECTOR_DIR}/jaeger-config.yaml`],
      cwd: COLLECTOR_DIR,
      env: { ...GO_MEMORY_LIMIT, ...env },
      healthUrl: config.jaeger.healthUrl,
      ports: {
        'Jaeger UI and query API': config.jaeger.uiPort,
        'Jaeger gRPC query API': config.jaeger.grpcQueryPort,
        'Jaeger OTLP/gRPC receiver': config.jaeger.otlpGrpcPort,
        'Jaeger health check': config.jaeger.healthPort,
        'Jaeger metrics': config.jaeger.metricsPort,
      },
      traced: false,
      dependsOn: [],
      restart,
      // Badger would create its directory, but not a missing parent.
      dirs: [env.JAEGER_BADGER_DIR!],
    },
    ...config.gateways.map((gateway) => gatewayProcess(config, gateway, env, restart)),
    {
      name: 'collector',
      program: BINARIES.collector,
      // In the gateway topology it is the agent: the same receivers, and a
      // load_balancing exporter to the gateways instead of Jaeger.
      args: collectorConfigArgs(topologyOverlay(config.topology)),
      cwd: COLLECTOR_DIR,
      env: { ...GO_MEMORY_LIMIT, ...env },
      healthUrl: config.collector.healthUrl,
      ports: {
        'Collector OTLP/gRPC receiver': config.collector.grpcPort,
        'Collector OTLP/HTTP receiver': config.collector.httpPort,
        'Collector health check': config.collector.healthPort,
        'Collector metrics': config.collector.metricsPort,
      },
      traced: false,
      dependsOn: config.gateways.length > 0 ? config.gateways.map((g) => g.name) : ['jaeger'],
      restart,
    },
    nodeService(config, 'inventory', options),
    nodeService(config, 'api', options),
    {
      name: 'web',
      program: process.execPath,
      args: webMode === 'dev' ? [VITE] : [WEB_SERVER, ...outDir],
      cwd: `${REPO_ROOT}web`,
      env: { ...env, NODE_COMPILE_CACHE },
      healthUrl: config.web.url,
      ports: { 'web app': config.web.port },
      // The browser's spans go to the Collector, but the page is served without it.
      traced: false,
      dependsOn: [],
      restart,
      prepare:
        webMode === 'preview'
          ? {
              program: process.execPath,
              args: [VITE, 'build', '--logLevel', 'warn', ...outDir, ...(webOutDir ? ['--emptyOutDir'] : [])],
            }
          : undefined,
    },
  ];
}

/**
 * Go's soft memory limit for the Collector and Jaeger, natively as in
 * compose.yaml (a test keeps the two equal). Jaeger's Badger keeps its
 * memtables (64 MB each, up to five) and block cache in Go's heap, and Jaeger
 * exposes none of their sizes: with no limit, Go's garbage collector let the
 * heap grow to twice what was live, and Jaeger held over 1 GB after the
 * benchmark's load. With it, the collector works harder near 200 MiB and
 * Jaeger stayed under 512 MB (docs/performance.md). Not a hard cap: the heap
 * still grows past it if that much is live.
 */
export const GO_MEMORY_LIMIT = { GOMEMLIMIT: '200MiB' } as const;

/** Names of Go binaries that are not built yet (the build step makes them). */
export function missingBinaries(): string[] {
  return Object.entries(BINARIES)
    .filter(([, path]) => !existsSync(path))
    .map(([name]) => name);
}
