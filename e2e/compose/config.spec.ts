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
  effectiveConfig,
  environmentOf,
  environmentProblems,
  get,
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
};

/** Variables of this run that would leak into a variant (the test's own ports, URLs). */
const STACK_VARIABLES = [
  ...Object.keys(DEFAULTS),
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

    test('publishes exactly the browser-facing ports, on BIND_HOST; gives every program the native variables; orders, checks and limits', () => {
      const doc = composeConfig(variant);
      expect(portProblems(doc, config)).toEqual([]);
      expect(environmentProblems(doc, config)).toEqual([]);
      expect(runtimeProblems(doc, config)).toEqual([]);
    });

    test('the Collector allows exactly the web origins and listens where compose publishes', () => {
      const collector = environmentOf(services(composeConfig(variant)).collector!);
      const effective = effectiveConfig(
        'collector',
        join(REPO_ROOT, 'collector/otelcol-config.yaml'),
        collector,
      );
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

test('a variant that breaks the native system is caught: the checkers see what Compose made of it', () => {
  const doc = composeConfig({ API_PORT: '3100' });
  // The configuration the tests expect says 3000: Compose's 3100 must show up as a problem.
  expect(portProblems(doc, loadStackConfig({}))).toContain(
    'service api publishes 127.0.0.1:3100:3100, expected 3000:3000 (stack/src/config.ts)',
  );
});
