/**
 * compose.yaml as Compose itself reads it (`docker compose config`) in the
 * environments a user may start it with: every one must still be the native
 * system (stack/src/config.ts). The checkers are the engine-free ones of
 * stack/test/compose-checks.ts, which also test them on input they must
 * reject; Compose's interpolation replaces a hand-written one.
 */
import { join } from 'node:path';
import { DEFAULTS, loadStackConfig } from '@tracing-demo/stack';
import {
  configFilesOf,
  effectiveConfig,
  environmentOf,
  environmentProblems,
  get,
  mountProblems,
  portProblems,
  REPO_ROOT,
  runtimeProblems,
  services,
} from '../../stack/test/compose-checks.ts';
import { dockerCompose } from '../compose-stack.ts';
import { expect, test } from '../fixtures.ts';

/** Environments a user may start compose with. */
const VARIANTS: Record<string, Record<string, string>> = {
  'the defaults': {},
  'other ports': {
    WEB_PORT: '6173',
    API_PORT: '3100',
    INVENTORY_PORT: '3101',
    COLLECTOR_OTLP_GRPC_PORT: '4417',
    COLLECTOR_OTLP_HTTP_PORT: '4418',
    COLLECTOR_HEALTH_PORT: '13233',
    COLLECTOR_METRICS_PORT: '8988',
    JAEGER_UI_PORT: '16786',
    JAEGER_GRPC_QUERY_PORT: '16785',
    JAEGER_OTLP_GRPC_PORT: '14417',
    JAEGER_HEALTH_PORT: '13234',
    JAEGER_METRICS_PORT: '8989',
  },
  'published on every interface': { BIND_HOST: '0.0.0.0' },
  'a proxy in front': {
    WEB_ORIGINS: 'https://demo.example, http://localhost:5173',
    API_URL: 'https://api.demo.example',
    COLLECTOR_OTLP_HTTP_TRACES_URL: 'https://otel.demo.example/v1/traces',
    JAEGER_URL: 'https://jaeger.demo.example',
  },
  // `STACK_TOPOLOGY=gateway docker compose --profile gateway …`, with its own policy and ports.
  'the gateway topology': {
    STACK_TOPOLOGY: 'gateway',
    COMPOSE_PROFILES: 'gateway',
    TAIL_SAMPLING_PERCENT: '25',
    TAIL_SAMPLING_LATENCY_MS: '500',
    TAIL_SAMPLING_DECISION_WAIT_MS: '2000',
    COLLECTOR_OTLP_GRPC_PORT: '4417',
    COLLECTOR_HEALTH_PORT: '13233',
  },
};

/** Variables of this run that would leak into a variant (the test's own ports, URLs, profiles). */
const STACK_VARIABLES = [
  ...Object.keys(DEFAULTS),
  'COMPOSE_PROFILES',
  'WEB_ORIGINS',
  'WEB_URL',
  'API_URL',
  'INVENTORY_URL',
  'COLLECTOR_OTLP_HTTP_TRACES_URL',
  'JAEGER_URL',
];

/** `docker compose config` of compose.yaml in exactly this environment (plus PATH, HOME and the image choices). */
function composeConfig(variant: Record<string, string>): Record<string, unknown> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of STACK_VARIABLES) delete env[name];
  return JSON.parse(dockerCompose(['config', '--format', 'json'], { env: { ...env, ...variant } })) as Record<
    string,
    unknown
  >;
}

for (const [label, variant] of Object.entries(VARIANTS)) {
  test.describe(`compose.yaml with ${label}`, () => {
    const config = loadStackConfig(variant);

    test('publishes exactly the browser-facing ports, on BIND_HOST; gives every program the native variables; orders, checks and limits; mounts what exists', () => {
      const doc = composeConfig(variant);
      expect(portProblems(doc, config)).toEqual([]);
      expect(environmentProblems(doc, config)).toEqual([]);
      expect(runtimeProblems(doc, config)).toEqual([]);
      expect(mountProblems(doc)).toEqual([]);
    });

    test('the Collector allows exactly the web origins and listens where compose publishes', () => {
      const collector = services(composeConfig(variant)).collector!;
      const files = configFilesOf(collector) as string[];
      expect(files).toEqual([
        join(REPO_ROOT, 'collector/otelcol-config.yaml'),
        join(REPO_ROOT, `collector/otelcol-topology-${config.topology}.yaml`),
      ]);
      const effective = effectiveConfig('collector', files, environmentOf(collector));
      const http = get(effective, 'receivers', 'otlp', 'protocols', 'http');
      expect(get(http, 'cors', 'allowed_origins')).toEqual(config.web.allowedOrigins);
      expect(get(http, 'endpoint')).toBe(`0.0.0.0:${config.collector.httpPort}`);
      expect(get(effective, 'receivers', 'otlp', 'protocols', 'grpc', 'endpoint')).toBe(
        `0.0.0.0:${config.collector.grpcPort}`,
      );
      expect(get(effective, 'exporters', 'otlp_grpc/jaeger', 'endpoint')).toBe(
        `jaeger:${config.jaeger.otlpGrpcPort}`,
      );
    });
  });
}

test('the gateway profile as Compose reads it: the agent sends to each gateway by name, each gateway marks and waits as told', () => {
  const variant = VARIANTS['the gateway topology']!;
  const config = loadStackConfig(variant);
  const all = services(composeConfig(variant));
  const effective = (service: string) =>
    effectiveConfig('collector', configFilesOf(all[service]) as string[], environmentOf(all[service]!));
  expect(
    get(effective('collector'), 'exporters', 'load_balancing', 'resolver', 'static', 'hostnames'),
  ).toEqual(config.gateways.map((gateway) => `${gateway.name}:${config.collector.grpcPort}`));
  for (const gateway of config.gateways) {
    const own = effective(gateway.name);
    expect(get(own, 'receivers', 'otlp', 'protocols', 'grpc', 'endpoint')).toBe(
      `0.0.0.0:${config.collector.grpcPort}`,
    );
    expect(get(own, 'processors', 'resource/gateway', 'attributes', 0, 'value')).toBe(gateway.name);
    expect(get(own, 'processors', 'tail_sampling', 'decision_wait')).toBe('2s');
  }
  // Without the profile there is no gateway, whatever STACK_TOPOLOGY says.
  expect(
    Object.keys(services(composeConfig({ STACK_TOPOLOGY: 'gateway' }))).filter((name) =>
      name.startsWith('gateway'),
    ),
  ).toEqual([]);
});

test('a variant that breaks the native system is caught: the checkers see what Compose made of it', () => {
  const doc = composeConfig({ API_PORT: '3100' });
  // The configuration the tests expect says 3000: Compose's 3100 must show up as a problem.
  expect(portProblems(doc, loadStackConfig({}))).toContain(
    'service api publishes 127.0.0.1:3100:3100, expected 3000:3000 (stack/src/config.ts)',
  );
});
