/**
 * `docker compose up` must run the same system as `npm start`. Without a Docker
 * engine, this checks compose.yaml and the Dockerfiles: the Compose schema and a
 * linter, the native defaults (stack/src/config.ts), the image versions the Go
 * builds pin, the mounted config files, and the Go-built Collector and Jaeger
 * validating those config files with the environment compose gives them.
 * Every checker also gets input it must reject. Compose's own reading of the
 * file with other variables (ports, BIND_HOST, URLs) is checked against the
 * same checkers by `npm run test:compose` (e2e/compose/config.spec.ts), which
 * runs `docker compose config`; the containers themselves by
 * e2e/compose/compose.spec.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULTS, loadStackConfig, SERVICE_NAMES } from '../src/config.ts';
import { GO_MEMORY_LIMIT, stackProcesses } from '../src/processes.ts';
import {
  COMPOSE_FILE,
  composeImageProblems,
  configFilesOf,
  containerOnlyDifferences,
  differences,
  dockerfileLintProblems,
  dockerfilePolicyProblems,
  effectiveConfig,
  environmentOf,
  environmentProblems,
  get,
  GATEWAY_HEALTH,
  imagePinProblem,
  interpolate,
  JAEGER_RELEASE_OF_MODULE,
  CONTAINER_BADGER_DIR,
  jaegerModuleVersion,
  jaegerReleaseOf,
  lintProblems,
  megabytes,
  mountProblems,
  nativeConfigFiles,
  oldEngineProblems,
  parseCompose,
  portProblems,
  profileProblems,
  publishedPorts,
  readCompose,
  REPO_ROOT,
  runGoBinary,
  runtimeProblems,
  schemaProblems,
  services,
  variablesRead,
  versionProblems,
  withDefaults,
  withProfiles,
} from './compose-checks.ts';

const raw = readCompose();
const composeText = readFileSync(COMPOSE_FILE, 'utf8');

/** compose.yaml with the defaults: every service, of every profile. */
const composed = withDefaults(raw);
/** What `docker compose up` runs with the defaults: the single topology, no profile. */
const single = withProfiles(composed, []);
const defaults = loadStackConfig({});
/** The gateway topology: `STACK_TOPOLOGY=gateway docker compose --profile gateway up`. */
const GATEWAY_ENV = { STACK_TOPOLOGY: 'gateway' };
const gatewayConfig = loadStackConfig(GATEWAY_ENV);
const gatewayDoc = withProfiles(interpolate(raw, GATEWAY_ENV), ['gateway']);

type Doc = Record<string, unknown>;
const clone = (doc: Doc) => structuredClone(doc);
const service = (doc: Doc, name: string) => services(doc)[name]!;

describe('the defaults (the checker itself)', () => {
  it('fill in every ${NAME:-default}, nested ones too, and keep $$ as a literal $', () => {
    expect(withDefaults({ a: ['${A:-x} ${B:-http://h:${C:-1}}/p', '$$HOME'], n: 3 })).toEqual({
      a: ['x http://h:1/p', '$HOME'],
      n: 3,
    });
  });

  it('fill in the variables given, where set and not empty', () => {
    expect(interpolate(['${A:-x}', '${B:-http://h:${C:-1}}', '${D:-d}'], { A: 'a', C: '2', D: '' })).toEqual([
      'a',
      'http://h:2',
      'd',
    ]);
  });

  it.each(['${NEED}', '$NEED', '${NEED:?set it}', '${NEED-x}', '${A:-${NEED}}'])(
    'refuse %s, a variable read without a default',
    (text) => {
      expect(() => withDefaults(text)).toThrow(/without a default/);
    },
  );
});

describe('compose.yaml: schema and linter', () => {
  it('validates against the Compose specification schema, as written and with the defaults', () => {
    expect(schemaProblems(raw)).toEqual([]);
    expect(schemaProblems(composed)).toEqual([]);
  });

  it('the schema check rejects what Compose would refuse', () => {
    expect(
      schemaProblems({ services: { api: { image: 'a:1.0.0', ports: [{ host: '127.0.0.1' }] } } }),
    ).not.toEqual([]);
    expect(
      schemaProblems({
        services: { web: { image: 'a:1.0.0', depends_on: { api: { condition: 'service_ready' } } } },
      }),
    ).not.toEqual([]);
    expect(schemaProblems({ services: { api: { imagee: 'a:1.0.0' } } })).not.toEqual([]);
  });

  it('passes dclint with every rule at its default level', () => {
    expect(lintProblems(COMPOSE_FILE)).toEqual([]);
  });

  describe('dclint rejects', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-lint-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const lint = (text: string) => {
      const file = join(dir, 'compose.yaml');
      writeFileSync(file, text);
      return lintProblems(file).join('\n');
    };

    it.each([
      ['the latest tag', 'image: jaegertracing/jaeger:latest', 'service-image-require-explicit-tag'],
      ['an image without a tag', 'image: jaegertracing/jaeger', 'service-image-require-explicit-tag'],
      [
        'a port on every interface',
        'image: a:1.0.0\n    ports: ["16686:16686"]',
        'no-unbound-port-interfaces',
      ],
    ])('%s', (_label, serviceBody, rule) => {
      expect(lint(`name: demo\nservices:\n  jaeger:\n    ${serviceBody}\n`)).toContain(rule);
    });

    it('invalid YAML and a schema violation', () => {
      expect(lint('services:\n  api: [unclosed\n')).toContain('invalid-yaml');
      expect(lint('name: demo\nservices:\n  api:\n    imagee: a:1.0.0\n')).toContain('invalid-schema');
    });
  });

  it('reads only variables the README or docs/ document, each with a default', () => {
    const pages = ['README.md', ...readdirSync(join(REPO_ROOT, 'docs')).map((file) => `docs/${file}`)];
    const documented = new Set(
      pages
        .filter((page) => page.endsWith('.md'))
        .flatMap((page) => [...readFileSync(join(REPO_ROOT, page), 'utf8').matchAll(/`([A-Z][A-Z0-9_]+)`/g)])
        .map((m) => m[1]),
    );
    expect([...variablesRead(composeText)].filter((name) => !documented.has(name))).toEqual([]);
    expect(() => withDefaults(raw)).not.toThrow();
  });
});

describe('images', () => {
  it('every image is pinned to a full version', () => {
    expect(composeImageProblems(composed)).toEqual([]);
  });

  it.each([
    ['jaegertracing/jaeger:latest', /moving tag "latest"/],
    ['jaegertracing/jaeger', /no tag/],
    ['localhost:5000/jaeger', /no tag/],
    ['node:20-alpine', /full version/],
    ['nginxinc/nginx-unprivileged:stable-alpine', /moving tag/],
    ['otel/opentelemetry-collector-contrib:0.165', /full version/],
  ])('rejects %s', (image, problem) => {
    expect(imagePinProblem(image)).toMatch(problem);
  });

  it.each(['busybox:1.37.0', 'node:20.20.2-alpine3.23', `node@sha256:${'a'.repeat(64)}`])(
    'accepts %s',
    (image) => {
      expect(imagePinProblem(image)).toBeUndefined();
    },
  );

  it('rejects a service with an unpinned image, or with neither image nor build', () => {
    const doc = clone(composed);
    service(doc, 'collector-health').image = 'busybox:latest';
    delete service(doc, 'web').build;
    expect(composeImageProblems(doc)).toEqual([
      'service collector-health: image "busybox:latest" uses the moving tag "latest"',
      'service web: neither image nor build',
    ]);
  });

  it('runs the Collector of the builder manifest and the Jaeger release of the Go module', () => {
    expect(jaegerModuleVersion()).toBe('v1.76.0');
    expect(JAEGER_RELEASE_OF_MODULE['v1.76.0']).toBe('2.13.0');
    expect(versionProblems(composed)).toEqual([]);
  });

  it('rejects images that differ from the Go builds, and a Jaeger module with no known release', () => {
    expect(versionProblems(composed, { collector: '0.166.0' })).toEqual([
      'service collector runs otel/opentelemetry-collector-contrib:0.160.0, expected otel/opentelemetry-collector-contrib:0.166.0',
    ]);
    expect(() => versionProblems(composed, { jaegerModule: 'v1.77.0' })).toThrow(
      /add it to JAEGER_RELEASE_OF_MODULE/,
    );
    expect(() => jaegerReleaseOf('v1.70.0')).toThrow(/No Jaeger release is known for module version v1.70.0/);
    expect(jaegerModuleVersion('require (\n\tgithub.com/jaegertracing/jaeger v1.80.0 // indirect\n)')).toBe(
      'v1.80.0',
    );
  });
});

describe('the same system as the native path', () => {
  describe('with the defaults', () => {
    const doc = single;
    const config = defaults;

    it('publishes exactly the browser-facing ports of stack/src/config.ts, 1:1, on BIND_HOST', () => {
      expect(portProblems(doc, config)).toEqual([]);
    });

    it("gives every program the native path's variables (listening on 0.0.0.0, others by service name)", () => {
      expect(environmentProblems(doc, config)).toEqual([]);
    });

    it('checks readiness, orders start-up, restarts, and limits memory', () => {
      expect(runtimeProblems(doc, config)).toEqual([]);
    });

    it('runs no gateway', () => {
      expect(Object.keys(services(doc)).filter((name) => name.startsWith('gateway'))).toEqual([]);
    });
  });

  describe('the gateway topology: STACK_TOPOLOGY=gateway and the `gateway` profile', () => {
    it('publishes nothing more: only the agent receives from the browser and the services', () => {
      expect(portProblems(gatewayDoc, gatewayConfig)).toEqual([]);
    });

    it("gives the agent, each gateway and the API the native path's variables", () => {
      expect(environmentProblems(gatewayDoc, gatewayConfig)).toEqual([]);
      const gateway2 = environmentOf(service(gatewayDoc, 'gateway-2'));
      expect(gateway2.GATEWAY_NAME).toBe('gateway-2');
      expect(gateway2.TAIL_SAMPLING_PERCENT).toBe(String(DEFAULTS.TAIL_SAMPLING_PERCENT));
      expect(environmentOf(service(gatewayDoc, 'collector')).GATEWAY_ENDPOINTS).toBe(
        `[gateway-1:${DEFAULTS.COLLECTOR_OTLP_GRPC_PORT}, gateway-2:${DEFAULTS.COLLECTOR_OTLP_GRPC_PORT}]`,
      );
      expect(environmentOf(service(gatewayDoc, SERVICE_NAMES.api)).STACK_TOPOLOGY).toBe('gateway');
    });

    it('starts the gateways after Jaeger and the agent once both gateways answer; limits their memory', () => {
      expect(runtimeProblems(gatewayDoc, gatewayConfig)).toEqual([]);
    });

    it('puts the gateways, and only what the gateway topology adds, in the profile', () => {
      expect(profileProblems(composed, gatewayConfig)).toEqual([]);
      expect(
        Object.keys(services(gatewayDoc)).filter((name) => !Object.keys(services(single)).includes(name)),
      ).toEqual(['gateway-1', 'gateway-2', GATEWAY_HEALTH]);
    });

    describe('rejects', () => {
      it('a gateway outside the profile, a service of every topology in it, another profile', () => {
        const doc = clone(composed);
        delete service(doc, 'gateway-2').profiles;
        service(doc, 'api').profiles = ['gateway'];
        service(doc, 'web').profiles = ['debug'];
        expect(profileProblems(doc, gatewayConfig)).toEqual([
          'service api is in a profile, but every topology runs it',
          'service web is in the profile "debug", which names no STACK_TOPOLOGY',
          'service web is in a profile, but every topology runs it',
          'service web depends on api, which only the profile gateway runs: mark it `required: false`',
          'service gateway-2 must be in the profile "gateway" alone',
        ]);
      });

      it('a dependency on the profile without `required: false`, which the single topology could not start', () => {
        const doc = clone(composed);
        delete (get(service(doc, 'collector'), 'depends_on', GATEWAY_HEALTH) as Doc).required;
        expect(profileProblems(doc, gatewayConfig)).toEqual([
          'service collector depends on gateway-health, which only the profile gateway runs: mark it `required: false`',
        ]);
        expect(runtimeProblems(withProfiles(doc, []), defaults)).toEqual([
          'service collector depends on gateway-health, which does not run here',
        ]);
      });

      it('a gateway with another name, the agent sending elsewhere, the API not knowing the topology', () => {
        const doc = clone(gatewayDoc);
        (service(doc, 'gateway-2').environment as Doc).GATEWAY_NAME = 'gateway-1';
        (service(doc, 'gateway-1').environment as Doc).TAIL_SAMPLING_PERCENT = '100';
        (service(doc, 'collector').environment as Doc).GATEWAY_ENDPOINTS = '[gateway-1:4317]';
        delete (service(doc, 'api').environment as Doc).STACK_TOPOLOGY;
        expect(environmentProblems(doc, gatewayConfig)).toEqual([
          'service collector: GATEWAY_ENDPOINTS is "[gateway-1:4317]", expected "[gateway-1:4317, gateway-2:4317]"',
          'service gateway-1: TAIL_SAMPLING_PERCENT is "100", expected "10"',
          'service gateway-2: GATEWAY_NAME is "gateway-1", expected "gateway-2"',
          'service api: STACK_TOPOLOGY is not set, expected "gateway"',
        ]);
        delete (doc.services as Doc)['gateway-2'];
        expect(environmentProblems(doc, gatewayConfig)).toContain('service gateway-2 is missing');
      });

      it('a gateway nobody checks, a check of one gateway only, an agent that does not wait, too little memory', () => {
        const doc = clone(gatewayDoc);
        const test = get(service(doc, GATEWAY_HEALTH), 'healthcheck', 'test') as string[];
        test.pop();
        delete (service(doc, 'collector').depends_on as Doc)[GATEWAY_HEALTH];
        (get(service(doc, 'gateway-1'), 'deploy', 'resources', 'limits') as Doc).memory = '64M';
        expect(runtimeProblems(doc, gatewayConfig)).toEqual([
          'service gateway-1: a memory limit of 64 MB leaves too little over its idle 50 MB',
          'service gateway-2 has no health check',
          'service collector must depend on gateway-health with a condition',
          'service gateway-health: the health check asks http://gateway-1:13133/, expected http://gateway-1:13133/, http://gateway-2:13133/',
        ]);
      });

      it('a STACK_TOPOLOGY with no overlay file: the mount names the missing file', () => {
        expect(mountProblems(interpolate(raw, { STACK_TOPOLOGY: 'gatway' }))).toEqual([
          'service collector mounts ./collector/otelcol-topology-gatway.yaml, which does not exist',
        ]);
      });
    });
  });

  it('by default publishes only on 127.0.0.1, the native default ports', () => {
    const ports = Object.fromEntries(
      publishedPorts(composed).map((p) => [p.service, `${p.hostIp}:${p.published}`]),
    );
    expect(ports).toEqual({
      web: `${DEFAULTS.BIND_HOST}:${DEFAULTS.WEB_PORT}`,
      api: `${DEFAULTS.BIND_HOST}:${DEFAULTS.API_PORT}`,
      collector: `${DEFAULTS.BIND_HOST}:${DEFAULTS.COLLECTOR_OTLP_HTTP_PORT}`,
      jaeger: `${DEFAULTS.BIND_HOST}:${DEFAULTS.JAEGER_UI_PORT}`,
    });
  });

  it('names the services and the API like the native path', () => {
    expect(Object.keys(services(raw))).toEqual(
      expect.arrayContaining([SERVICE_NAMES.api, SERVICE_NAMES.web]),
    );
    const api = environmentOf(service(composed, SERVICE_NAMES.api));
    expect(api.OTEL_SERVICE_NAME).toBe(SERVICE_NAMES.api);
    expect(api.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).toBe(
      `http://collector:${DEFAULTS.COLLECTOR_OTLP_GRPC_PORT}`,
    );
    expect(environmentOf(service(composed, 'collector')).JAEGER_OTLP_GRPC_ENDPOINT).toBe(
      `jaeger:${DEFAULTS.JAEGER_OTLP_GRPC_PORT}`,
    );
  });

  it("gives the Collector and Jaeger Go's memory limit of the native path", () => {
    const native = new Map(stackProcesses(defaults).map((process) => [process.name, process.env]));
    for (const name of ['collector', 'jaeger'] as const) {
      expect(environmentOf(service(raw, name)).GOMEMLIMIT, name).toBe(GO_MEMORY_LIMIT.GOMEMLIMIT);
      expect(native.get(name)!.GOMEMLIMIT, name).toBe(GO_MEMORY_LIMIT.GOMEMLIMIT);
    }
  });

  describe('rejects', () => {
    it('a port bound to 0.0.0.0 or to every interface', () => {
      const doc = clone(composed);
      (service(doc, 'jaeger').ports as Doc[])[0]!.host_ip = '0.0.0.0';
      service(doc, 'api').ports = ['3000:3000'];
      expect(portProblems(doc, defaults)).toEqual([
        'service api publishes 3000:3000: bound to every interface, expected 127.0.0.1 (BIND_HOST)',
        'service jaeger publishes 0.0.0.0:16686:16686: bound to 0.0.0.0, expected 127.0.0.1 (BIND_HOST)',
      ]);
    });

    it('a port a browser does not need, another port than the native one, a missing one', () => {
      const doc = clone(composed);
      (service(doc, 'collector').ports as unknown[]).push('127.0.0.1:4317:4317');
      service(doc, 'jaeger').ports = ['127.0.0.1:16687:16686'];
      delete service(doc, 'web').ports;
      expect(portProblems(doc, defaults)).toEqual([
        'service collector publishes 127.0.0.1:4317:4317, expected 4318:4318 (stack/src/config.ts)',
        'service jaeger publishes 127.0.0.1:16687:16686, expected 16686:16686 (stack/src/config.ts)',
        'service web does not publish port 5173',
      ]);
      const extra = clone(composed);
      service(extra, 'collector-health').ports = [{ host_ip: '127.0.0.1', published: 13133, target: 13133 }];
      service(extra, 'inventory').ports = ['127.0.0.1:3001:3001'];
      expect(portProblems(extra, defaults)).toEqual([
        'service collector-health publishes 127.0.0.1:13133:13133, but only web, api, collector, jaeger may publish a port',
        'service inventory publishes 127.0.0.1:3001:3001, but only web, api, collector, jaeger may publish a port',
      ]);
    });

    it('a service name, endpoint or variable that differs from the native one', () => {
      const doc = clone(composed);
      const api = service(doc, 'api').environment as Doc;
      api.OTEL_SERVICE_NAME = 'backend';
      api.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = 'http://127.0.0.1:4317';
      const collector = service(doc, 'collector').environment as Doc;
      delete collector.JAEGER_OTLP_GRPC_ENDPOINT;
      collector.COLLECTOR_CORS_ALLOWED_ORIGINS = '[http://localhost:5173]';
      (service(doc, 'jaeger').environment as Doc).BIND_HOST = '127.0.0.1';
      (service(doc, 'web').environment as Doc).API_URL = 'http://127.0.0.1:3001';
      delete (service(doc, 'inventory').environment as Doc).INVENTORY_DATA_DIR;
      (service(doc, 'api').environment as Doc).INVENTORY_URL = 'http://127.0.0.1:3001';
      expect(environmentProblems(doc, defaults)).toEqual([
        'service collector: COLLECTOR_CORS_ALLOWED_ORIGINS is "[http://localhost:5173]", expected "[http://localhost:5173, http://127.0.0.1:5173]"',
        'service collector: JAEGER_OTLP_GRPC_ENDPOINT is not set, expected "jaeger:14317"',
        'service jaeger: BIND_HOST is "127.0.0.1", expected "0.0.0.0"',
        'service inventory: INVENTORY_DATA_DIR is not set, expected "/data/inventory"',
        'service api: OTEL_SERVICE_NAME is "backend", expected "api"',
        'service api: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is "http://127.0.0.1:4317", expected "http://collector:4317"',
        'service api: INVENTORY_URL is "http://127.0.0.1:3001", expected "http://inventory:3001"',
        'service web: API_URL is "http://127.0.0.1:3001", expected "http://127.0.0.1:3000"',
      ]);
    });

    it('no health check, a check of the wrong endpoint, no order, no restart, too little memory', () => {
      const doc = clone(composed);
      delete service(doc, 'api').healthcheck;
      (service(doc, 'jaeger').healthcheck as Doc).test = ['CMD', 'wget', '-q', 'http://127.0.0.1:16686/'];
      delete service(doc, 'web').depends_on;
      delete service(doc, 'collector').restart;
      (get(service(doc, 'api'), 'deploy', 'resources', 'limits') as Doc).memory = '150M';
      delete service(doc, 'collector-health').deploy;
      expect(runtimeProblems(doc, defaults)).toEqual([
        'service api has no health check',
        'service api: a memory limit of 150 MB leaves too little over its idle 182 MB',
        'service collector has no restart policy',
        'service collector-health has no memory limit (deploy.resources.limits.memory)',
        'service web must depend on api with a condition',
        'service jaeger: the health check asks http://127.0.0.1:16686/, expected http://127.0.0.1:13134/status',
      ]);
      expect(megabytes('1g')).toBe(1024);
      expect(megabytes('512MiB')).toBe(512);
    });

    it('waiting for a service to be healthy that has no health check', () => {
      const doc = clone(composed);
      service(doc, 'api').depends_on = { collector: { condition: 'service_healthy' } };
      expect(runtimeProblems(doc, defaults)).toEqual([
        'service api waits for collector to be healthy, but it has no health check',
        'service api must depend on collector-health with a condition',
      ]);
    });
  });
});

describe('mounted config files', () => {
  it('mounts every file read-only, and each exists, in either topology', () => {
    expect(mountProblems(composed)).toEqual([]);
    expect(mountProblems(gatewayDoc)).toEqual([]);
  });

  it.each([
    ['single', defaults, composed],
    ['gateway', gatewayConfig, gatewayDoc],
  ] as const)(
    'the Collectors and Jaeger run the very config files the native launcher passes (%s topology)',
    (_topology, config, doc) => {
      for (const process of stackProcesses(config).filter((p) => p.args.includes('--config')))
        expect(configFilesOf(service(doc, process.name)), process.name).toEqual(
          nativeConfigFiles(process.args),
        );
    },
  );

  it('the Collector merges the overlay of its topology over the shared config', () => {
    const files = (doc: Doc, name: string) => configFilesOf(service(doc, name));
    expect(files(composed, 'collector')).toEqual([
      join(REPO_ROOT, 'collector/otelcol-config.yaml'),
      join(REPO_ROOT, 'collector/otelcol-topology-single.yaml'),
    ]);
    expect(files(gatewayDoc, 'collector')[1]).toBe(
      join(REPO_ROOT, 'collector/otelcol-topology-gateway.yaml'),
    );
    expect(files(gatewayDoc, 'gateway-2')[1]).toBe(join(REPO_ROOT, 'collector/otelcol-gateway.yaml'));
  });

  it('rejects a missing file and a writable mount', () => {
    const doc = clone(composed);
    service(doc, 'collector').volumes = [
      './collector/otelcol-config.yml:/etc/tracing-demo/otelcol-config.yaml:ro',
    ];
    (service(doc, 'jaeger').volumes as Doc[])[0]!.read_only = false;
    delete (service(doc, 'gateway-1').volumes as Doc[])[1]!.bind;
    expect(mountProblems(doc)).toEqual([
      'service collector mounts ./collector/otelcol-config.yml, which does not exist',
      'service collector mounts ./collector/otelcol-config.yml without bind.create_host_path: false; Docker would make a missing one a directory',
      'service gateway-1 mounts ./collector/otelcol-gateway.yaml without bind.create_host_path: false; Docker would make a missing one a directory',
      'service jaeger mounts ./collector/jaeger-config.yaml writable; mount it read-only',
    ]);
    // The overlay's mount is gone: no host file gives it.
    expect(configFilesOf(service(doc, 'collector'))).toEqual([
      join(REPO_ROOT, 'collector/otelcol-config.yml'),
      undefined,
    ]);
  });
});

describe('engines before Docker 25', () => {
  const override = readCompose(join(REPO_ROOT, 'docker/engine-before-25.yaml'));

  it('docker/engine-before-25.yaml resets start_interval of every health check', () => {
    expect(oldEngineProblems(raw, override)).toEqual([]);
  });

  it('rejects a health check it does not reset', () => {
    const partial = clone(override);
    delete (partial.services as Doc)[GATEWAY_HEALTH];
    expect(oldEngineProblems(raw, partial)).toEqual([
      'service gateway-health: docker/engine-before-25.yaml does not reset its healthcheck.start_interval',
    ]);
  });
});

describe('Dockerfiles', () => {
  const serverDockerfile = readFileSync(join(REPO_ROOT, 'server/Dockerfile'), 'utf8');
  const webDockerfile = readFileSync(join(REPO_ROOT, 'web/Dockerfile'), 'utf8');
  /** The native start command of the API, word by word. */
  const apiStart = (
    JSON.parse(readFileSync(join(REPO_ROOT, 'server/package.json'), 'utf8')) as { scripts: { start: string } }
  ).scripts.start.split(' ');

  it('pass the Dockerfile linter', () => {
    expect(dockerfileLintProblems(serverDockerfile)).toEqual([]);
    expect(dockerfileLintProblems(webDockerfile)).toEqual([]);
  });

  it('the linter rejects', () => {
    const problems = dockerfileLintProblems(
      'from node:20.20.2-alpine3.23\nCMD ["a"]\nCMD ["b"]\nWORKDIR app\n',
    );
    expect(problems).toContain('1: Instructions should be written in uppercase letters');
    expect(problems).toContain('4: WORKDIR paths should be absolute');
    expect(problems.join('\n')).toMatch(/There can only be one CMD instruction/);
    expect(
      dockerfileLintProblems('FROM node:20.20.2-alpine3.23\nEXPOSE http\nCOPY --chmodd=755 a b\n'),
    ).toEqual(['2: Invalid containerPort: http', '3: Unknown flag: chmodd']);
  });

  it('the API: multi-stage, pinned, non-root, NODE_ENV=production, the native start command in exec form', () => {
    expect(apiStart).toEqual([
      'node',
      '--max-semi-space-size=16',
      '--import',
      './src/tracing.ts',
      './src/server.ts',
    ]);
    expect(
      dockerfilePolicyProblems(serverDockerfile, { env: { NODE_ENV: 'production' }, cmd: apiStart }),
    ).toEqual([]);
    const native = stackProcesses(defaults).find((process) => process.name === 'api')!;
    expect(['node', ...native.args]).toEqual(apiStart);
  });

  it('build on the Node.js that .node-version pins for the native path', () => {
    const pinned = readFileSync(join(REPO_ROOT, '.node-version'), 'utf8').trim();
    for (const text of [serverDockerfile, webDockerfile]) {
      expect(text).toMatch(new RegExp(`^ARG NODE_IMAGE=node:${pinned.replaceAll('.', '\\.')}-alpine`, 'm'));
    }
  });

  it('the web app: multi-stage, pinned, non-root', () => {
    expect(dockerfilePolicyProblems(webDockerfile)).toEqual([]);
  });

  it.each([
    ['one stage', 'FROM node:20.20.2-alpine3.23\nUSER node\nCMD ["node"]\n', /multi-stage/],
    [
      'an unpinned base through ARG',
      'ARG IMG=node:20-alpine\nFROM ${IMG} AS b\nFROM b\nUSER node\n',
      /full version/,
    ],
    ['root', 'FROM node:20.20.2-alpine3.23 AS b\nFROM b\nUSER root\n', /runs as root/],
    ['no USER', 'FROM node:20.20.2-alpine3.23 AS b\nFROM b\nCMD ["node"]\n', /no USER/],
    [
      'a shell-form CMD',
      'FROM node:20.20.2-alpine3.23 AS b\nFROM b\nUSER node\nCMD node server.js\n',
      /shell form/,
    ],
  ])('the policy rejects %s', (_label, text, problem) => {
    expect(dockerfilePolicyProblems(text).join('\n')).toMatch(problem);
  });

  it('the policy rejects a missing NODE_ENV and another start command', () => {
    const text =
      'FROM node:20.20.2-alpine3.23 AS b\nFROM b\nENV NODE_ENV=development\nUSER node\nCMD ["node", "./src/server.ts"]\n';
    expect(dockerfilePolicyProblems(text, { env: { NODE_ENV: 'production' }, cmd: apiStart })).toEqual([
      'the final stage must set ENV NODE_ENV=production',
      `CMD is ["node","./src/server.ts"], expected ${JSON.stringify(apiStart)}`,
    ]);
  });

  it('.dockerignore keeps dependencies, builds, git and local settings out of the context', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const pattern of ['**/node_modules', '**/dist', '.git', 'collector/bin', '**/.env']) {
      expect(ignored).toContain(pattern);
    }
  });
});

describe('the Go-built Collector and Jaeger accept the configs with the environment compose sets', () => {
  const collectorConfig = join(REPO_ROOT, 'collector/otelcol-config.yaml');
  const jaegerConfig = join(REPO_ROOT, 'collector/jaeger-config.yaml');
  const composeEnv = (name: string, doc = single) => environmentOf(service(doc, name));
  /** The config files compose runs a service with (its mounts checked above). */
  const composeFiles = (name: string, doc = single) => configFilesOf(service(doc, name)) as string[];
  const nativeProcess = (name: string, config = defaults) =>
    stackProcesses(config).find((process) => process.name === name)!;

  /** [program, service, compose document]: the single Collector, the agent, a gateway, Jaeger. */
  const runs = [
    ['collector', 'collector', single],
    ['collector', 'collector', gatewayDoc],
    ['collector', 'gateway-2', gatewayDoc],
    ['jaeger', 'jaeger', single],
  ] as const;

  it.each(runs)('%s validate (service %s, %#)', (program, name, doc) => {
    const result = runGoBinary(program, 'validate', composeFiles(name, doc), composeEnv(name, doc));
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
  });

  it.each([
    ['collector', collectorConfig, 'COLLECTOR_METRICS_PORT'],
    ['jaeger', jaegerConfig, 'JAEGER_METRICS_PORT'],
    ['jaeger', jaegerConfig, 'JAEGER_MAX_TRACES'],
  ] as const)('%s validate fails with a broken %s', (name, file, variable) => {
    const result = runGoBinary(name, 'validate', file, { ...composeEnv(name), [variable]: 'not-a-number' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/expected type 'int'/);
  });

  it('a gateway fails to validate with a broken tail-sampling variable', () => {
    const env = { ...composeEnv('gateway-1', gatewayDoc), TAIL_SAMPLING_PERCENT: 'ten' };
    const result = runGoBinary('collector', 'validate', composeFiles('gateway-1', gatewayDoc), env);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/sampling_percentage/);
  });

  it('a missing binary fails with a sentence saying what to run', () => {
    const missing = { collector: '/nonexistent/otelcol', jaeger: '/nonexistent/jaeger' };
    expect(() => runGoBinary('collector', 'validate', collectorConfig, {}, missing)).toThrow(
      '/nonexistent/otelcol is missing: run `npm run build:collector` to build the Collector and Jaeger.',
    );
  });

  /** What containers must change in the effective configuration, beyond listen addresses. */
  const allowed = {
    'exporters.otlp_grpc/jaeger.endpoint': `jaeger:${DEFAULTS.JAEGER_OTLP_GRPC_PORT}`,
    'processors.memory_limiter.limit_mib': 200,
    'processors.memory_limiter.spike_limit_mib': 50,
    // A volume in the container, .data/jaeger at the repo root natively.
    'extensions.jaeger_storage.backends.badger_store.badger.directories.keys': `${CONTAINER_BADGER_DIR}/keys`,
    'extensions.jaeger_storage.backends.badger_store.badger.directories.values': `${CONTAINER_BADGER_DIR}/values`,
    // The agent reaches each gateway by name, on the Collector's port…
    ...Object.fromEntries(
      gatewayConfig.gateways.map((gateway, i) => [
        `exporters.load_balancing.resolver.static.hostnames.${i}`,
        `${gateway.name}:${DEFAULTS.COLLECTOR_OTLP_GRPC_PORT}`,
      ]),
    ),
    // …where each gateway listens, at its own address (natively: ports of its own).
    'receivers.otlp.protocols.grpc.endpoint': `0.0.0.0:${DEFAULTS.COLLECTOR_OTLP_GRPC_PORT}`,
    'receivers.otlp.protocols.http.endpoint': `0.0.0.0:${DEFAULTS.COLLECTOR_OTLP_HTTP_PORT}`,
    'extensions.health_check.endpoint': `0.0.0.0:${DEFAULTS.COLLECTOR_HEALTH_PORT}`,
    'service.telemetry.metrics.readers.0.pull.exporter.prometheus.port': DEFAULTS.COLLECTOR_METRICS_PORT,
  };
  const compare = (program: 'collector' | 'jaeger', name: string, doc: Doc, config = defaults) => {
    const native = nativeProcess(name, config);
    return containerOnlyDifferences(
      effectiveConfig(program, nativeConfigFiles(native.args), native.env),
      effectiveConfig(program, composeFiles(name, doc), composeEnv(name, doc)),
      allowed,
    );
  };

  it('the Collector runs the native configuration, but for what containers must change', () => {
    expect(compare('collector', 'collector', single)).toEqual([]);
    const compose = effectiveConfig('collector', composeFiles('collector'), composeEnv('collector'));
    const http = get(compose, 'receivers', 'otlp', 'protocols', 'http');
    expect(get(http, 'endpoint')).toBe(`0.0.0.0:${DEFAULTS.COLLECTOR_OTLP_HTTP_PORT}`);
    expect(get(http, 'cors', 'allowed_origins')).toEqual(defaults.web.allowedOrigins);
  });

  it('the agent and the gateways run the native configuration, but for what containers must change', () => {
    expect(compare('collector', 'collector', gatewayDoc, gatewayConfig)).toEqual([]);
    for (const gateway of gatewayConfig.gateways)
      expect(compare('collector', gateway.name, gatewayDoc, gatewayConfig), gateway.name).toEqual([]);
    const agent = effectiveConfig(
      'collector',
      composeFiles('collector', gatewayDoc),
      composeEnv('collector', gatewayDoc),
    );
    expect(get(agent, 'service', 'pipelines', 'traces', 'exporters')).toEqual(['load_balancing']);
    const gateway = effectiveConfig(
      'collector',
      composeFiles('gateway-1', gatewayDoc),
      composeEnv('gateway-1', gatewayDoc),
    );
    expect(get(gateway, 'processors', 'resource/gateway', 'attributes', 0, 'value')).toBe('gateway-1');
  });

  it('Jaeger runs the native configuration, but for its listen addresses', () => {
    expect(compare('jaeger', 'jaeger', single)).toEqual([]);
    const compose = effectiveConfig('jaeger', jaegerConfig, composeEnv('jaeger'));
    expect(get(compose, 'extensions', 'healthcheckv2', 'http', 'endpoint')).toBe(
      `0.0.0.0:${DEFAULTS.JAEGER_HEALTH_PORT}`,
    );
  });

  it('the comparison rejects a difference containers do not need', () => {
    const native = parseCompose('a:\n  endpoint: 127.0.0.1:4317\n  timeout: 5s\nb: [x]\n');
    const changed = parseCompose('a:\n  endpoint: 0.0.0.0:4317\n  timeout: 6s\nb: [x, y]\n');
    expect(differences(native, changed)).toEqual([['a', 'endpoint'], ['a', 'timeout'], ['b']]);
    expect(containerOnlyDifferences(native, changed, { 'a.timeout': '6s' })).toEqual([
      'b: ["x"] natively, ["x","y"] in compose',
    ]);
    expect(containerOnlyDifferences(native, changed, {})).toContain(
      'a.timeout: "5s" natively, "6s" in compose',
    );
  });
});
