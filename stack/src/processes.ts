/**
 * The five processes of the native stack, in dependency order, with the URL
 * that answers once each is ready. Used by the launcher (`npm start`) and by
 * Playwright's `webServer` entries, so both start the same things the same way.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStackConfig, type StackConfig } from './config.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COLLECTOR_DIR = `${REPO_ROOT}collector`;

export const BINARIES = {
  collector: `${COLLECTOR_DIR}/bin/otelcol-tracing-demo`,
  jaeger: `${COLLECTOR_DIR}/bin/jaeger`,
};

export interface StackProcess {
  name: 'jaeger' | 'collector' | 'inventory' | 'api' | 'web';
  /** A shell command; `exec` so that signals reach the program itself. */
  command: string;
  cwd: string;
  env: Record<string, string>;
  /** Answers 2xx once the process is ready. */
  healthUrl: string;
  /** Ports it must be able to bind, with what each is for (checked before starting). */
  ports: Record<string, number>;
}

/** How the web app is served: Vite's dev server, or the production build. */
export type WebMode = 'dev' | 'preview';

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
  };
}

export function stackProcesses(
  config: StackConfig = loadStackConfig(),
  { webMode = 'dev' }: { webMode?: WebMode } = {},
): StackProcess[] {
  const env = stackEnv(config);
  // The package's own vite binary, exec'd, so Ctrl-C reaches Vite itself.
  const vite = './node_modules/.bin/vite';
  const web = webMode === 'dev' ? `exec ${vite}` : `${vite} build --logLevel warn && exec ${vite} preview`;
  return [
    {
      name: 'jaeger',
      // The data directory exists before Jaeger opens it (Badger would create
      // it too, but not a missing parent with the right mode).
      command: `mkdir -p "$JAEGER_BADGER_DIR" && exec "${BINARIES.jaeger}" --config "${COLLECTOR_DIR}/jaeger-config.yaml"`,
      cwd: COLLECTOR_DIR,
      env,
      healthUrl: config.jaeger.healthUrl,
      ports: {
        'Jaeger UI and query API': config.jaeger.uiPort,
        'Jaeger gRPC query API': config.jaeger.grpcQueryPort,
        'Jaeger OTLP/gRPC receiver': config.jaeger.otlpGrpcPort,
        'Jaeger health check': config.jaeger.healthPort,
        'Jaeger metrics': config.jaeger.metricsPort,
      },
    },
    {
      name: 'collector',
      command: `exec "${BINARIES.collector}" --config "${COLLECTOR_DIR}/otelcol-config.yaml"`,
      cwd: COLLECTOR_DIR,
      env,
      healthUrl: config.collector.healthUrl,
      ports: {
        'Collector OTLP/gRPC receiver': config.collector.grpcPort,
        'Collector OTLP/HTTP receiver': config.collector.httpPort,
        'Collector health check': config.collector.healthPort,
        'Collector metrics': config.collector.metricsPort,
      },
    },
    {
      name: 'inventory',
      command: 'exec node --import tsx --import ./src/tracing.ts ./src/server.ts',
      cwd: `${REPO_ROOT}inventory`,
      env: { ...env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
      healthUrl: `${config.inventory.url}/healthz`,
      ports: { inventory: config.inventory.port },
    },
    {
      name: 'api',
      command: 'exec node --import tsx --import ./src/tracing.ts ./src/server.ts',
      cwd: `${REPO_ROOT}server`,
      env: { ...env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
      // Any route answers once Fastify listens; GET / is the cheapest.
      healthUrl: `${config.api.url}/`,
      ports: { API: config.api.port },
    },
    {
      name: 'web',
      command: web,
      cwd: `${REPO_ROOT}web`,
      env,
      healthUrl: config.web.url,
      ports: { 'web app': config.web.port },
    },
  ];
}

/** Names of Go binaries that are not built yet (the build step makes them). */
export function missingBinaries(): string[] {
  return Object.entries(BINARIES)
    .filter(([, path]) => !existsSync(path))
    .map(([name]) => name);
}
