/**
 * Checks of compose.yaml and the Dockerfiles that need no Docker engine, as
 * functions returning a list of problems (empty when all is well), so that
 * compose.test.ts can run each on the real files AND on input it must reject.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { DCLinter } from 'dclint';
import { validate as validateDockerfile, ValidationSeverity } from 'dockerfile-utils';
import { parse as parseYaml } from 'yaml';
import { BROWSER_ENDPOINT_KEYS, BROWSER_ENDPOINTS } from '../src/browser-config.ts';
import { SERVICE_NAMES, STACK_TOPOLOGIES, type StackConfig } from '../src/config.ts';
import { serviceOtelEnv, stackEnv, stackProcesses, topologyOverlay } from '../src/processes.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const COMPOSE_FILE = join(REPO_ROOT, 'compose.yaml');

export type Env = Record<string, string | undefined>;
/** A parsed YAML document: only what the checks read is typed. */
type Doc = Record<string, unknown>;

// ---------------------------------------------------------------------------
// Versions

/**
 * Jaeger's Go module path has no /v2, so each Jaeger v2 release is also tagged
 * as a v1 module version on the same commit. THE one place that maps the module
 * version collector/jaeger/go.mod pins to the release, which is the tag of the
 * official jaegertracing/jaeger image. Add a line when go.mod moves.
 */
export const JAEGER_RELEASE_OF_MODULE: Readonly<Record<string, string>> = {
  'v1.76.0': '2.13.0',
};

/** The Collector version of the builder manifest (dist.version). */
export function collectorManifestVersion(): string {
  const manifest = parseYaml(readFileSync(join(REPO_ROOT, 'collector/builder-config.yaml'), 'utf8')) as Doc;
  const version = (manifest.dist as Doc | undefined)?.version;
  if (typeof version !== 'string') throw new Error('collector/builder-config.yaml has no dist.version.');
  return version;
}

/** The Jaeger module version collector/jaeger/go.mod requires. */
export function jaegerModuleVersion(
  goMod = readFileSync(join(REPO_ROOT, 'collector/jaeger/go.mod'), 'utf8'),
) {
  const match = /^\s*github\.com\/jaegertracing\/jaeger (v\S+)/m.exec(goMod);
  if (!match?.[1])
    throw new Error('collector/jaeger/go.mod does not require github.com/jaegertracing/jaeger.');
  return match[1];
}

/** The jaegertracing/jaeger image tag of a module version, or a sentence saying what to do. */
export function jaegerReleaseOf(moduleVersion: string): string {
  const release = JAEGER_RELEASE_OF_MODULE[moduleVersion];
  if (!release) {
    throw new Error(
      `No Jaeger release is known for module version ${moduleVersion}: add it to JAEGER_RELEASE_OF_MODULE in stack/test/compose-checks.ts.`,
    );
  }
  return release;
}

// ---------------------------------------------------------------------------
// Compose: reading and interpolation

export function readCompose(file = COMPOSE_FILE): Doc {
  return parseCompose(readFileSync(file, 'utf8'));
}

/** Compose's `!reset` (drop the value of the file before) reads as null. */
const RESET_TAG = { tag: '!reset', resolve: () => null };

export function parseCompose(text: string): Doc {
  const doc: unknown = parseYaml(text, { merge: true, customTags: [RESET_TAG] });
  if (!isRecord(doc)) throw new Error('A Compose file must be a YAML mapping.');
  return doc;
}

/** `${NAME:-default}` with no variable in its default: the innermost of nested defaults. */
const WITH_DEFAULT = /\$\{([A-Za-z_][A-Za-z0-9_]*):-([^${}]*)\}/g;

/**
 * The document as Compose runs it when no variable is set: every
 * `${NAME:-default}` replaced by its default (nested defaults included). Any
 * other `$` reference throws, naming it: each variable compose.yaml reads must
 * have a default. How Compose fills in other environments is checked by
 * Compose itself (`docker compose config`, e2e/compose/config.spec.ts).
 */
export function withDefaults<T>(value: T): T {
  return interpolate(value, {});
}

/**
 * The document as Compose runs it with the variables `env` (each set and not
 * empty wins over its default), the others at their defaults; the same
 * refusal of a variable read without a default as withDefaults.
 */
export function interpolate<T>(value: T, env: Env): T {
  if (typeof value === 'string') {
    let text: string = value;
    for (let previous = ''; previous !== text;) {
      previous = text;
      text = text.replace(WITH_DEFAULT, (_match, name: string, fallback: string) => env[name] || fallback);
    }
    const left = /\$\{?[A-Za-z_][^}\s]*\}?/.exec(text.replaceAll('$$', ''));
    if (left) throw new Error(`"${value}" reads ${left[0]} without a default (\${NAME:-default}).`);
    return text.replaceAll('$$', '$') as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => interpolate(item, env)) as T;
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item, env)])) as T;
  }
  return value;
}

/** Every variable name the file reads, e.g. WEB_PORT in ${WEB_PORT:-5173}. */
export function variablesRead(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/(?<!\$)\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(match[1]!);
  return names;
}

function isRecord(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function services(doc: Doc): Record<string, Doc> {
  const all = doc.services;
  if (!isRecord(all)) return {};
  return Object.fromEntries(
    Object.entries(all).filter((entry): entry is [string, Doc] => isRecord(entry[1])),
  );
}

/** The profiles a service belongs to (none: it always runs). */
export function profilesOf(service: Doc): string[] {
  return Array.isArray(service.profiles) ? service.profiles.map(String) : [];
}

/** The document with only the services Compose runs when `profiles` are active (`--profile`, COMPOSE_PROFILES). */
export function withProfiles(doc: Doc, profiles: readonly string[]): Doc {
  const active = Object.entries(services(doc)).filter(([, service]) => {
    const own = profilesOf(service);
    return own.length === 0 || own.some((profile) => profiles.includes(profile));
  });
  return { ...doc, services: Object.fromEntries(active) };
}

/** A service's environment as a map, from either the map or the list form. */
export function environmentOf(service: Doc): Record<string, string> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((item) => {
        const [name, ...rest] = String(item).split('=');
        return [name!, rest.join('=')];
      }),
    );
  }
  if (!isRecord(env)) return {};
  return Object.fromEntries(
    Object.entries(env).map(([name, value]) => [name, value == null ? '' : String(value)]),
  );
}

// ---------------------------------------------------------------------------
// Compose: schema and linter

/** The Compose specification JSON schema that dclint ships (and validates with). */
export function composeSchema(): object {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('dclint/package.json'));
  const schema = JSON.parse(readFileSync(join(dir, 'schemas', 'compose.schema.json'), 'utf8')) as Doc;
  // "$schema": "https://json-schema.org/draft-07/schema" is draft-07 under a URL
  // Ajv does not know (it knows http://…#); draft-07 is Ajv's default anyway.
  delete schema.$schema;
  return schema;
}

let validateCompose: ((doc: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string }[] | null;
};

/** Schema errors of a document, as "path: message". */
export function schemaProblems(doc: unknown): string[] {
  // The schema uses keywords (deprecated, union types) that Ajv's strict mode refuses.
  validateCompose ??= new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(
    composeSchema(),
  );
  if (validateCompose(doc)) return [];
  return (validateCompose.errors ?? []).map(
    (error) => `${error.instancePath || '/'}: ${error.message ?? 'invalid'}`,
  );
}

/** What dclint reports (its .d.ts files use extensionless imports NodeNext cannot follow). */
interface LintResult {
  messages: { line: number; column: number; rule: string; message: string }[];
}

/** dclint's findings on a Compose file, every rule at its default level. */
export function lintProblems(file: string): string[] {
  const linter = new DCLinter({ rules: {}, quiet: true, debug: false, exclude: [] });
  const results = linter.lintFiles([file], false) as LintResult[];
  return results
    .flatMap((result) => result.messages)
    .map((message) => `${message.line}:${message.column} ${message.rule}: ${message.message}`);
}

// ---------------------------------------------------------------------------
// Images

/** Tags (or parts of tags, as in stable-alpine) that move to new versions. */
const FLOATING_TAGS = /^(latest|stable|mainline|edge|lts|current|nightly|main|master|dev)$/;

/** Why an image reference is not pinned to one version, or undefined if it is. */
export function imagePinProblem(image: string): string | undefined {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
  const last = image.split('/').pop() ?? '';
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : '';
  if (!tag) return `image "${image}" has no tag (that is :latest)`;
  if (/(^|[^\d.])\d+\.\d+\.\d+/.test(tag)) return undefined;
  if (tag.split('-').some((part) => FLOATING_TAGS.test(part)))
    return `image "${image}" uses the moving tag "${tag}"`;
  return `image "${image}" is not pinned to a full version (major.minor.patch)`;
}

/** Every image a Compose document runs or builds from must be pinned; built services need a build. */
export function composeImageProblems(doc: Doc): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(services(doc))) {
    if (typeof service.image === 'string') {
      const problem = imagePinProblem(service.image);
      if (problem) problems.push(`service ${name}: ${problem}`);
    } else if (service.build === undefined) {
      problems.push(`service ${name}: neither image nor build`);
    }
  }
  return problems;
}

/**
 * The Collector and Jaeger images are the official ones, at the versions the
 * native path builds: the builder manifest's, and the Jaeger release of the
 * module version go.mod pins.
 */
export function versionProblems(
  doc: Doc,
  { collector = collectorManifestVersion(), jaegerModule = jaegerModuleVersion() } = {},
): string[] {
  const problems: string[] = [];
  const expected: Record<string, string> = {
    collector: `otel/opentelemetry-collector-contrib:${collector}`,
    jaeger: `jaegertracing/jaeger:${jaegerReleaseOf(jaegerModule)}`,
  };
  for (const [service, image] of Object.entries(expected)) {
    const got = services(doc)[service]?.image;
    if (got !== image) problems.push(`service ${service} runs ${String(got)}, expected ${image}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Ports

export interface PublishedPort {
  service: string;
  hostIp: string;
  published: string;
  target: string;
}

/** Every port a (interpolated) document publishes, long or short syntax. */
export function publishedPorts(doc: Doc): PublishedPort[] {
  const ports: PublishedPort[] = [];
  for (const [service, definition] of Object.entries(services(doc))) {
    for (const port of Array.isArray(definition.ports) ? definition.ports : []) {
      if (isRecord(port)) {
        ports.push({
          service,
          hostIp: String(port.host_ip ?? ''),
          published: String(port.published ?? ''),
          target: String(port.target ?? ''),
        });
      } else {
        // [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], the host IP maybe in brackets.
        const spec = String(port).replace(/\/\w+$/, '');
        const parts = spec.match(/^(?:\[([^\]]+)\]:|([^:]+):(?=[^:]*:))?(?:([^:]*):)?([^:]+)$/);
        ports.push({
          service,
          hostIp: parts?.[1] ?? parts?.[2] ?? '',
          published: parts?.[3] ?? '',
          target: parts?.[4] ?? spec,
        });
      }
    }
  }
  return ports;
}

/** The compose service that must publish each browser-facing port, and which port. */
export function browserPorts(config: StackConfig): Record<string, number> {
  return {
    [SERVICE_NAMES.web]: config.web.port,
    [SERVICE_NAMES.api]: config.api.port,
    collector: config.collector.httpPort,
    jaeger: config.jaeger.uiPort,
  };
}

/**
 * Only what a browser needs is published, each on the port the native path
 * uses, 1:1 inside and out, and only on the address BIND_HOST names.
 */
export function portProblems(doc: Doc, config: StackConfig): string[] {
  const problems: string[] = [];
  const expected = browserPorts(config);
  const ports = publishedPorts(doc);
  for (const port of ports) {
    const where = `service ${port.service} publishes ${port.hostIp ? `${port.hostIp}:` : ''}${port.published || '(any)'}:${port.target}`;
    const want = expected[port.service];
    if (want === undefined) {
      problems.push(`${where}, but only ${Object.keys(expected).join(', ')} may publish a port`);
      continue;
    }
    if (port.published !== String(want) || port.target !== String(want)) {
      problems.push(`${where}, expected ${want}:${want} (stack/src/config.ts)`);
    }
    if (port.hostIp !== config.bindHost) {
      problems.push(
        port.hostIp
          ? `${where}: bound to ${port.hostIp}, expected ${config.bindHost} (BIND_HOST)`
          : `${where}: bound to every interface, expected ${config.bindHost} (BIND_HOST)`,
      );
    }
  }
  for (const [service, port] of Object.entries(expected)) {
    if (!ports.some((p) => p.service === service))
      problems.push(`service ${service} does not publish port ${port}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Environment

/** Replaces the host of a URL or host:port, keeping the rest. */
export function withHost(endpoint: string, host: string): string {
  return endpoint.replace(/^(\w+:\/\/)?[^:/]+/, `$1${host}`);
}

/** `${env:NAME...}` references of a Collector/Jaeger config file. */
export function configFileVariables(file: string): Set<string> {
  const names = new Set<string>();
  for (const match of readFileSync(file, 'utf8').matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)/g))
    names.add(match[1]!);
  return names;
}

/** Jaeger's Badger directory in its container, in the jaeger-data volume mounted on /tmp. */
export const CONTAINER_BADGER_DIR = '/tmp/jaeger';
/** The inventory's SQLite folder in its container: the `inventory-data` volume, owned by the `node` user. */
export const CONTAINER_INVENTORY_DATA_DIR = '/data/inventory';

/** The variables a Collector reads: the shared config's and its overlay's (a file in collector/). */
function collectorVariables(overlay: string): Set<string> {
  return new Set([
    ...configFileVariables(join(REPO_ROOT, 'collector/otelcol-config.yaml')),
    ...configFileVariables(join(REPO_ROOT, 'collector', overlay)),
  ]);
}

/**
 * The environment a service must have, from the native stackEnv (a gateway:
 * its native process's environment) with the container differences.
 */
export function expectedEnvironment(config: StackConfig, service: string): Record<string, string> {
  const native = stackEnv(config);
  const inContainers: Record<string, string> = { ...native, BIND_HOST: '0.0.0.0' };
  const pick = (names: Iterable<string>, from = inContainers) =>
    Object.fromEntries([...names].filter((name) => name in from).map((name) => [name, from[name]!]));
  const jaegerEndpoint = withHost(config.jaeger.otlpGrpcEndpoint, 'jaeger');
  if (config.gateways.some((gateway) => gateway.name === service)) {
    const gateway = stackProcesses(config).find((process) => process.name === service)!;
    return {
      ...pick(collectorVariables('otelcol-gateway.yaml'), gateway.env),
      BIND_HOST: '0.0.0.0',
      // Natively the gateways share one host, each on ports of its own
      // (GATEWAY_BASE_PORT); each container has its own address, and the
      // Collector's ports.
      COLLECTOR_OTLP_GRPC_PORT: String(config.collector.grpcPort),
      COLLECTOR_OTLP_HTTP_PORT: String(config.collector.httpPort),
      COLLECTOR_HEALTH_PORT: String(config.collector.healthPort),
      COLLECTOR_METRICS_PORT: String(config.collector.metricsPort),
      JAEGER_OTLP_GRPC_ENDPOINT: jaegerEndpoint,
    };
  }
  switch (service) {
    case 'collector':
      return {
        ...pick(collectorVariables(topologyOverlay(config.topology))),
        JAEGER_OTLP_GRPC_ENDPOINT: jaegerEndpoint,
        // The agent's targets: each gateway by service name, on the Collector's port (see above).
        ...(config.topology === 'gateway' && {
          GATEWAY_ENDPOINTS: `[${config.gateways.map((g) => `${g.name}:${config.collector.grpcPort}`).join(', ')}]`,
        }),
      };
    case 'jaeger':
      return {
        ...pick(configFileVariables(join(REPO_ROOT, 'collector/jaeger-config.yaml'))),
        JAEGER_BADGER_DIR: CONTAINER_BADGER_DIR,
      };
    case SERVICE_NAMES.api:
      return {
        // The topology and the policy: GET /status tells the page.
        ...pick([
          'BIND_HOST',
          'API_PORT',
          'WEB_ORIGINS',
          'STACK_TOPOLOGY',
          'TAIL_SAMPLING_PERCENT',
          'TAIL_SAMPLING_LATENCY_MS',
        ]),
        ...serviceOtelEnv(config, SERVICE_NAMES.api, {}),
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: withHost(config.collector.grpcEndpoint, 'collector'),
        INVENTORY_URL: withHost(config.inventory.url, SERVICE_NAMES.inventory),
      };
    case SERVICE_NAMES.inventory:
      // No LOG_DIR in containers: logs go to stdout (docker compose logs).
      return {
        ...pick(['BIND_HOST', 'INVENTORY_PORT']),
        INVENTORY_DATA_DIR: CONTAINER_INVENTORY_DATA_DIR,
        ...serviceOtelEnv(config, SERVICE_NAMES.inventory, {}),
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: withHost(config.collector.grpcEndpoint, 'collector'),
      };
    case SERVICE_NAMES.web:
      // The URLs the browser uses, each under the variable the image's start
      // script reads (stack/src/browser-config.ts): the image reads no port.
      return {
        ...pick(['WEB_PORT']),
        ...Object.fromEntries(
          BROWSER_ENDPOINT_KEYS.map((key) => [
            BROWSER_ENDPOINTS[key].stackName,
            BROWSER_ENDPOINTS[key].fromStack(config),
          ]),
        ),
      };
    default:
      return {};
  }
}

/** A YAML list in one variable, e.g. "[http://a, http://b]", as the Collector reads it. */
function yamlList(value: string): unknown {
  try {
    return parseYaml(value) as unknown;
  } catch {
    return value;
  }
}

/** WEB_ORIGINS as stack/src/config.ts reads it. */
function commaList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * Each service gets the variables its program reads, with the values the
 * native path gives it (stackEnv), except where containers differ: listen on
 * 0.0.0.0, and reach the others by service name.
 */
export function environmentProblems(doc: Doc, config: StackConfig): string[] {
  const problems: string[] = [];
  const all = services(doc);
  for (const service of [
    'collector',
    ...config.gateways.map((gateway) => gateway.name),
    'jaeger',
    SERVICE_NAMES.inventory,
    SERVICE_NAMES.api,
    SERVICE_NAMES.web,
  ]) {
    const definition = all[service];
    if (!definition) {
      problems.push(`service ${service} is missing`);
      continue;
    }
    const actual = environmentOf(definition);
    for (const [name, want] of Object.entries(expectedEnvironment(config, service))) {
      const got = actual[name];
      // Lists compare by their items, as the programs read them.
      const same =
        name === 'COLLECTOR_CORS_ALLOWED_ORIGINS' || name === 'GATEWAY_ENDPOINTS'
          ? JSON.stringify(yamlList(got ?? '')) === JSON.stringify(yamlList(want))
          : name === 'WEB_ORIGINS'
            ? JSON.stringify(commaList(got ?? '')) === JSON.stringify(commaList(want))
            : got === want;
      if (!same)
        problems.push(
          `service ${service}: ${name} is ${got === undefined ? 'not set' : `"${got}"`}, expected "${want}"`,
        );
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Health checks, order, restarts, memory

/** Idle RSS of each native process, measured (MB). */
export const MEASURED_IDLE_RSS_MB: Readonly<Record<string, number>> = {
  jaeger: 56,
  collector: 37,
  // STACK_TOPOLOGY=gateway npm start, a minute after start (ps -o rss).
  'gateway-1': 50,
  'gateway-2': 50,
  inventory: 172,
  api: 182,
};

/** Parses "256M", "1g", "512MiB"… into MB. */
export function megabytes(limit: unknown): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([bkmg])?i?b?$/i.exec(String(limit ?? '').trim());
  if (!match) return undefined;
  const unit = (match[2] ?? 'b').toLowerCase();
  const factor = { b: 1 / 1024 / 1024, k: 1 / 1024, m: 1, g: 1024 }[unit]!;
  return Number(match[1]) * factor;
}

/** Every URL a service's health check asks, in order. */
function healthcheckUrls(service: Doc | undefined): string[] {
  const test = get(service, 'healthcheck', 'test');
  const words = Array.isArray(test) ? test.map(String) : typeof test === 'string' ? [test] : [];
  return words.join(' ').match(/https?:\/\/\S+/g) ?? [];
}

/** The services whose health another service's check asks by name (the Collector image has no HTTP client). */
function askedByOthers(all: Record<string, Doc>): Set<string> {
  return new Set(
    Object.entries(all).flatMap(([name, service]) =>
      healthcheckUrls(service)
        .map((url) => new URL(url).hostname)
        .filter((host) => host !== name && host in all),
    ),
  );
}

/**
 * Readiness as the native launcher waits for it: every long-running service has
 * a health check (a Collector's from a container that asks it by name), asks the
 * same health endpoint the native path asks, starts after what it needs is
 * healthy, restarts by itself, and has a memory limit with headroom over the
 * measured idle RSS (at least twice). In the gateway topology the gateways start
 * after Jaeger, and the agent after the gateways answer, as natively.
 */
export function runtimeProblems(doc: Doc, config: StackConfig): string[] {
  const problems: string[] = [];
  const all = services(doc);
  const checkedByOthers = askedByOthers(all);
  for (const [name, service] of Object.entries(all)) {
    const healthcheck = service.healthcheck as Doc | undefined;
    if (!checkedByOthers.has(name) && (!healthcheck || healthcheck.disable === true)) {
      problems.push(`service ${name} has no health check`);
    }
    if (
      !['always', 'unless-stopped', 'on-failure'].some((policy) =>
        String(service.restart ?? '').startsWith(policy),
      )
    ) {
      problems.push(`service ${name} has no restart policy`);
    }
    const limit = megabytes(get(service, 'deploy', 'resources', 'limits', 'memory'));
    if (limit === undefined)
      problems.push(`service ${name} has no memory limit (deploy.resources.limits.memory)`);
    const measured = MEASURED_IDLE_RSS_MB[name];
    if (limit !== undefined && measured !== undefined && limit < 2 * measured) {
      problems.push(
        `service ${name}: a memory limit of ${limit} MB leaves too little over its idle ${measured} MB`,
      );
    }
    const dependsOn = isRecord(service.depends_on) ? service.depends_on : {};
    for (const [dependency, condition] of Object.entries(dependsOn)) {
      const wanted = isRecord(condition) ? condition.condition : undefined;
      if (!all[dependency]) {
        // A dependency of another profile: Compose starts without it only if it is not required.
        if (!isRecord(condition) || condition.required !== false)
          problems.push(`service ${name} depends on ${dependency}, which does not run here`);
      } else if (wanted === 'service_healthy' && !all[dependency].healthcheck) {
        problems.push(`service ${name} waits for ${dependency} to be healthy, but it has no health check`);
      }
    }
  }
  const gateways = config.gateways.map((gateway) => gateway.name);
  const needs: [string, string][] = [
    ['collector', 'jaeger'],
    ['collector-health', 'collector'],
    [SERVICE_NAMES.api, 'collector-health'],
    [SERVICE_NAMES.web, SERVICE_NAMES.api],
    ...gateways.flatMap((gateway): [string, string][] => [
      [gateway, 'jaeger'],
      [GATEWAY_HEALTH, gateway],
    ]),
    ...(gateways.length > 0 ? [['collector', GATEWAY_HEALTH] as [string, string]] : []),
  ];
  for (const [service, dependency] of needs) {
    const dependsOn = all[service]?.depends_on;
    if (!isRecord(dependsOn) || !isRecord(dependsOn[dependency])) {
      problems.push(`service ${service} must depend on ${dependency} with a condition`);
    }
  }
  // Jaeger and the web server check themselves; the Collectors are asked by name.
  const health: [string, string[]][] = [
    ['jaeger', [withHost(config.jaeger.healthUrl, '127.0.0.1')]],
    ['collector-health', [withHost(config.collector.healthUrl, 'collector')]],
    [SERVICE_NAMES.web, [`http://127.0.0.1:${config.web.port}/runtime-config.js`]],
    ...(gateways.length > 0
      ? [
          [
            GATEWAY_HEALTH,
            gateways.map((gateway) => `http://${gateway}:${config.collector.healthPort}/`),
          ] as [string, string[]],
        ]
      : []),
  ];
  for (const [service, urls] of health) {
    const got = healthcheckUrls(all[service]);
    if (got.join(', ') !== urls.join(', '))
      problems.push(
        `service ${service}: the health check asks ${got.join(', ') || 'nothing'}, expected ${urls.join(', ')}`,
      );
  }
  return problems;
}

/**
 * Services whose health check sets `start_interval` but that
 * docker/engine-before-25.yaml (`override`) does not reset: an engine before
 * Docker 25 refuses the whole file.
 */
export function oldEngineProblems(doc: Doc, override: Doc): string[] {
  return Object.entries(services(doc))
    .filter(([, service]) => get(service, 'healthcheck', 'start_interval') !== undefined)
    .filter(([name]) => get(services(override)[name], 'healthcheck', 'start_interval') !== null)
    .map(
      ([name]) =>
        `service ${name}: docker/engine-before-25.yaml does not reset its healthcheck.start_interval`,
    );
}

// ---------------------------------------------------------------------------
// Profiles: the gateway topology

/** The container that asks the gateways' health (the Collector image has no HTTP client). */
export const GATEWAY_HEALTH = 'gateway-health';

/** The services the single topology runs: never in a profile. */
const ALWAYS_RUN = [
  'jaeger',
  'collector',
  'collector-health',
  SERVICE_NAMES.inventory,
  SERVICE_NAMES.api,
  SERVICE_NAMES.web,
];

/**
 * Each topology beyond the default is a profile of the same name, and only
 * what it adds is in it: the gateways of `config` (the gateway topology's)
 * are in the `gateway` profile, the single topology's services in none. A
 * service that may run without another one's profile depends on it with
 * `required: false`, or Compose would refuse to start without that profile.
 */
export function profileProblems(doc: Doc, config: StackConfig): string[] {
  const problems: string[] = [];
  const all = services(doc);
  const topologies = STACK_TOPOLOGIES.filter((topology) => topology !== 'single') as readonly string[];
  for (const [name, service] of Object.entries(all)) {
    const profiles = profilesOf(service);
    for (const profile of profiles.filter((p) => !topologies.includes(p)))
      problems.push(`service ${name} is in the profile "${profile}", which names no STACK_TOPOLOGY`);
    if (ALWAYS_RUN.includes(name) && profiles.length > 0)
      problems.push(`service ${name} is in a profile, but every topology runs it`);
    const dependsOn = isRecord(service.depends_on) ? service.depends_on : {};
    for (const [dependency, condition] of Object.entries(dependsOn)) {
      const theirs = profilesOf(all[dependency] ?? {});
      const alwaysWithIt =
        theirs.length === 0 || (profiles.length > 0 && profiles.every((p) => theirs.includes(p)));
      if (!alwaysWithIt && !(isRecord(condition) && condition.required === false))
        problems.push(
          `service ${name} depends on ${dependency}, which only the profile ${theirs.join(', ')} runs: mark it \`required: false\``,
        );
    }
  }
  for (const gateway of config.gateways) {
    const service = all[gateway.name];
    if (!service) problems.push(`service ${gateway.name} is missing`);
    else if (profilesOf(service).join() !== config.topology)
      problems.push(`service ${gateway.name} must be in the profile "${config.topology}" alone`);
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Mounted config files

export interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
  /** Whether Docker makes a missing source (as a directory) instead of refusing to start. */
  createsHostPath: boolean;
}

export function bindMounts(service: Doc | undefined): Mount[] {
  const volumes = Array.isArray(service?.volumes) ? service.volumes : [];
  return volumes.flatMap((volume): Mount[] => {
    if (isRecord(volume)) {
      if (volume.type !== 'bind') return [];
      return [
        {
          source: String(volume.source),
          target: String(volume.target),
          readOnly: volume.read_only === true,
          // Without `bind`, Docker makes a missing source; `docker compose
          // config` writes create_host_path: false as `bind: {}`.
          createsHostPath: !isRecord(volume.bind) || volume.bind.create_host_path === true,
        },
      ];
    }
    const [source = '', target = '', mode = ''] = String(volume).split(':');
    if (!/^[./~]/.test(source)) return []; // a named volume
    // The short syntax always makes a missing source.
    return [{ source, target, readOnly: mode.split(',').includes('ro'), createsHostPath: true }];
  });
}

/**
 * The host files a service's `--config` flags name, in order, through its
 * bind mounts (undefined for a file no mount provides).
 */
export function configFilesOf(service: Doc | undefined, composeDir = REPO_ROOT): (string | undefined)[] {
  const command = Array.isArray(service?.command)
    ? service.command.map(String)
    : String(service?.command ?? '').split(/\s+/);
  return command.flatMap((word, at) => {
    if (word !== '--config' && !word.startsWith('--config=')) return [];
    const target = (word.includes('=') ? word.split('=')[1] : command[at + 1])?.replace(/^file:/, '');
    const mount = bindMounts(service).find((m) => m.target === target);
    return [mount && resolve(composeDir, mount.source)];
  });
}

/** The files a native process's `--config` flags name, in order. */
export function nativeConfigFiles(args: readonly string[]): string[] {
  return args.flatMap((word, at) => (word === '--config' ? [args[at + 1]!] : []));
}

/**
 * Every bind-mounted file exists and is mounted read-only, and a missing one
 * stops the container (`bind.create_host_path: false`): Docker would
 * otherwise make a directory in its place, e.g. for a misspelt STACK_TOPOLOGY.
 */
export function mountProblems(doc: Doc, composeDir = REPO_ROOT): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(services(doc))) {
    for (const mount of bindMounts(service)) {
      const source = isAbsolute(mount.source) ? mount.source : resolve(composeDir, mount.source);
      if (!existsSync(source)) problems.push(`service ${name} mounts ${mount.source}, which does not exist`);
      if (!mount.readOnly)
        problems.push(`service ${name} mounts ${mount.source} writable; mount it read-only`);
      if (mount.createsHostPath)
        problems.push(
          `service ${name} mounts ${mount.source} without bind.create_host_path: false; Docker would make a missing one a directory`,
        );
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Dockerfiles

const ALL_RULES_AS_ERRORS = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR,
};

/** dockerfile-utils' validator (the one behind VS Code's Dockerfile support), every rule an error. */
export function dockerfileLintProblems(text: string): string[] {
  return validateDockerfile(text, ALL_RULES_AS_ERRORS).map(
    (diagnostic) => `${diagnostic.range.start.line + 1}: ${diagnostic.message}`,
  );
}

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions of a Dockerfile, continuation lines joined, comments dropped. */
export function instructions(text: string): Instruction[] {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return logical
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

export interface DockerfilePolicy {
  /** ENV values the final stage must set. */
  env?: Record<string, string>;
  /** The exact exec-form CMD of the final stage. */
  cmd?: string[];
}

/**
 * Multi-stage, every base image pinned, a final stage that runs as a non-root
 * user, with the given ENV, and with an exec-form CMD (so signals reach the
 * program itself).
 */
export function dockerfilePolicyProblems(text: string, policy: DockerfilePolicy = {}): string[] {
  const problems: string[] = [];
  const all = instructions(text);
  const args: Record<string, string> = {};
  for (const instruction of all) {
    if (instruction.keyword === 'FROM') break;
    if (instruction.keyword === 'ARG') {
      const [name = '', value] = instruction.args.split('=');
      if (value !== undefined) args[name] = value.replace(/^"|"$/g, '');
    }
  }
  const starts = all.flatMap((instruction, index) => (instruction.keyword === 'FROM' ? [index] : []));
  if (starts.length < 2) problems.push('not a multi-stage build (one FROM)');
  const stageNames = new Set<string>();
  for (const index of starts) {
    const words = all[index]!.args.split(/\s+/).filter((word) => !word.startsWith('--'));
    const image = (words[0] ?? '').replace(/\$\{?(\w+)\}?/g, (_, name: string) => args[name] ?? `$${name}`);
    if (!stageNames.has(image) && image !== 'scratch') {
      const problem = imagePinProblem(image);
      if (problem) problems.push(`FROM: ${problem}`);
    }
    if (words[1]?.toUpperCase() === 'AS' && words[2]) stageNames.add(words[2]);
  }
  const final = all.slice(starts.at(-1) ?? 0);
  const users = final.filter((instruction) => instruction.keyword === 'USER');
  const user = users.at(-1)?.args.split(':')[0];
  if (!user) problems.push('the final stage sets no USER: it would run as root');
  else if (user === 'root' || user === '0') problems.push(`the final stage runs as ${user}`);
  const env: Record<string, string> = {};
  for (const instruction of final.filter((i) => i.keyword === 'ENV')) {
    for (const match of instruction.args.matchAll(/(\w+)=("[^"]*"|\S*)/g))
      env[match[1]!] = match[2]!.replace(/^"|"$/g, '');
  }
  for (const [name, value] of Object.entries(policy.env ?? {})) {
    if (env[name] !== value) problems.push(`the final stage must set ENV ${name}=${value}`);
  }
  const cmd = final.filter((instruction) => instruction.keyword === 'CMD').at(-1);
  if (cmd) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(cmd.args);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed))
      problems.push('CMD is in shell form: signals would reach /bin/sh, not the program');
    else if (policy.cmd && JSON.stringify(parsed) !== JSON.stringify(policy.cmd)) {
      problems.push(`CMD is ${JSON.stringify(parsed)}, expected ${JSON.stringify(policy.cmd)}`);
    }
  } else if (policy.cmd) {
    problems.push('the final stage has no CMD');
  }
  return problems;
}

// ---------------------------------------------------------------------------
// The Go-built Collector and Jaeger

export const GO_BINARIES = {
  collector: join(REPO_ROOT, 'collector/bin/otelcol-tracing-demo'),
  jaeger: join(REPO_ROOT, 'collector/bin/jaeger'),
};

/**
 * Runs `<binary> <command> --config <file>…` (an overlay after the shared
 * config) with exactly `env`; fails with a sentence if it is not built.
 */
export function runGoBinary(
  which: keyof typeof GO_BINARIES,
  command: 'validate' | 'print-config',
  configFiles: string | readonly string[],
  env: Record<string, string>,
  binaries: Record<keyof typeof GO_BINARIES, string> = GO_BINARIES,
) {
  const binary = binaries[which];
  if (!existsSync(binary)) {
    throw new Error(
      `${binary} is missing: run \`npm run build:collector\` to build the Collector and Jaeger.`,
    );
  }
  const files = typeof configFiles === 'string' ? [configFiles] : configFiles;
  return spawnSync(binary, [command, ...files.flatMap((file) => ['--config', file])], {
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

/** The configuration a binary would run with (its print-config), parsed. */
export function effectiveConfig(
  which: keyof typeof GO_BINARIES,
  configFiles: string | readonly string[],
  env: Record<string, string>,
): Doc {
  const result = runGoBinary(which, 'print-config', configFiles, env);
  if (result.status !== 0) throw new Error(`${which} print-config failed: ${result.stderr}`);
  return parseCompose(result.stdout);
}

export type Path = (string | number)[];

/** Paths (lists of keys) where two parsed documents differ. */
export function differences(a: unknown, b: unknown, path: Path = []): Path[] {
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((key) => differences(a[key], b[key], [...path, key]));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((item, index) => differences(item, b[index], [...path, index]));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
}

/**
 * Where an effective configuration in compose differs from the native one
 * other than a listen address moved from 127.0.0.1 to 0.0.0.0 or a value in
 * `allowed` (by dotted path), as sentences.
 */
export function containerOnlyDifferences(
  native: unknown,
  compose: unknown,
  allowed: Record<string, unknown>,
): string[] {
  return differences(native, compose).flatMap((path) => {
    const before = get(native, ...path);
    const after = get(compose, ...path);
    const key = path.join('.');
    if (typeof before === 'string' && before.replace(/^127\.0\.0\.1(?=:|$)/, '0.0.0.0') === after) return [];
    if (key in allowed && JSON.stringify(allowed[key]) === JSON.stringify(after)) return [];
    return [`${key}: ${JSON.stringify(before)} natively, ${JSON.stringify(after)} in compose`];
  });
}

/** The value at a path of keys in a parsed document, or undefined. */
export function get(doc: unknown, ...path: (string | number)[]): unknown {
  let value = doc;
  for (const key of path) {
    if (typeof key === 'number' ? !Array.isArray(value) : !isRecord(value)) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}
