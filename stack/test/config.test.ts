import { describe, expect, it } from 'vitest';
import { DEFAULTS, isUntracedApiPath, jaegerTraceUrl, loadStackConfig } from '../src/config.ts';
import { REPO_ROOT, stackEnv, stackProcesses } from '../src/processes.ts';

describe('loadStackConfig', () => {
  it('gives the documented defaults', () => {
    const config = loadStackConfig({});
    expect(config.web.url).toBe('http://127.0.0.1:5173');
    expect(config.api.url).toBe('http://127.0.0.1:3000');
    expect(config.collector.grpcEndpoint).toBe('http://127.0.0.1:4317');
    expect(config.collector.httpTracesUrl).toBe('http://127.0.0.1:4318/v1/traces');
    expect(config.collector.healthUrl).toBe('http://127.0.0.1:13133/');
    expect(config.jaeger.uiUrl).toBe('http://127.0.0.1:16686');
    expect(config.jaeger.otlpGrpcEndpoint).toBe('127.0.0.1:14317');
    expect(config.jaeger.healthUrl).toBe('http://127.0.0.1:13134/status');
    expect(config.web.allowedOrigins).toEqual(['http://localhost:5173', 'http://127.0.0.1:5173']);
  });

  it('takes every port from its variable', () => {
    const config = loadStackConfig({ WEB_PORT: '8080', API_PORT: '8081', JAEGER_UI_PORT: '9000' });
    expect(config.web.url).toBe('http://127.0.0.1:8080');
    expect(config.web.allowedOrigins).toContain('http://localhost:8080');
    expect(config.api.url).toBe('http://127.0.0.1:8081');
    expect(config.jaeger.uiUrl).toBe('http://127.0.0.1:9000');
  });

  it('reaches a 0.0.0.0 bind through loopback', () => {
    expect(loadStackConfig({ BIND_HOST: '0.0.0.0' }).api.url).toBe('http://127.0.0.1:3000');
  });

  it.each([
    ['API_PORT', 'abc'],
    ['WEB_PORT', '0'],
    ['COLLECTOR_OTLP_HTTP_PORT', '65536'],
    ['JAEGER_UI_PORT', '1.5'],
  ])('rejects %s=%s with a sentence naming the variable', (name, value) => {
    expect(() => loadStackConfig({ [name]: value })).toThrow(new RegExp(`^${name} must be a port number`));
  });

  it('rejects wildcard or path-carrying web origins', () => {
    expect(() => loadStackConfig({ WEB_ORIGINS: 'http://*:5173' })).toThrow(/WEB_ORIGINS/);
    expect(() => loadStackConfig({ WEB_ORIGINS: 'localhost:5173' })).toThrow(/WEB_ORIGINS/);
  });

  it('stores traces with Badger by default, in memory on request, and names a bad JAEGER_STORAGE', () => {
    expect(loadStackConfig({}).jaeger).toMatchObject({ storage: 'badger_store', badgerDir: '.data/jaeger' });
    expect(loadStackConfig({ JAEGER_STORAGE: 'memstore' }).jaeger.storage).toBe('memstore');
    expect(() => loadStackConfig({ JAEGER_STORAGE: 'cassandra' })).toThrow(/JAEGER_STORAGE must be one of/);
  });

  it('links a trace in Jaeger', () => {
    expect(jaegerTraceUrl('http://127.0.0.1:16686/', 'abc')).toBe('http://127.0.0.1:16686/trace/abc');
  });
});

describe('stackProcesses', () => {
  it('starts Jaeger, the Collector, the inventory, the API and the web app in that order', () => {
    expect(stackProcesses(loadStackConfig({})).map((proc) => proc.name)).toEqual([
      'jaeger',
      'collector',
      'inventory',
      'api',
      'web',
    ]);
  });

  it('checks every port the stack binds, all different', () => {
    // The gateway topology binds every port variable (the single one all but GATEWAY_BASE_PORT).
    const ports = stackProcesses(loadStackConfig({ STACK_TOPOLOGY: 'gateway' })).flatMap((proc) =>
      Object.values(proc.ports),
    );
    expect(new Set(ports).size).toBe(ports.length);
    for (const name of Object.keys(DEFAULTS).filter((key) => key.endsWith('_PORT'))) {
      expect(ports).toContain(DEFAULTS[name as keyof typeof DEFAULTS]);
    }
  });

  it('hands the Collector its CORS origins as a YAML list', () => {
    expect(stackEnv(loadStackConfig({})).COLLECTOR_CORS_ALLOWED_ORIGINS).toBe(
      '[http://localhost:5173, http://127.0.0.1:5173]',
    );
  });

  it('hands Jaeger an absolute Badger directory, relative ones under the repo root, and creates it first', () => {
    const env = stackEnv(loadStackConfig({}));
    expect(env.JAEGER_STORAGE).toBe('badger_store');
    expect(env.JAEGER_BADGER_DIR).toBe(`${REPO_ROOT}.data/jaeger`);
    expect(stackEnv(loadStackConfig({ JAEGER_BADGER_DIR: '/var/tmp/j' })).JAEGER_BADGER_DIR).toBe(
      '/var/tmp/j',
    );
    const jaeger = stackProcesses(loadStackConfig({})).find((proc) => proc.name === 'jaeger');
    expect(jaeger?.dirs).toEqual([`${REPO_ROOT}.data/jaeger`]);
  });
});

describe('isUntracedApiPath', () => {
  it('matches the trace viewer, trace list and status routes, with or without a query', () => {
    expect(isUntracedApiPath('/traces/0af7651916cd43dd8448eb211c80319c')).toBe(true);
    expect(isUntracedApiPath('/traces')).toBe(true);
    expect(isUntracedApiPath('/traces?service=web&limit=5')).toBe(true);
    expect(isUntracedApiPath('/traces/0af7651916cd43dd8448eb211c80319c?wait_ms=10')).toBe(true);
    expect(isUntracedApiPath('/status')).toBe(true);
    expect(isUntracedApiPath('/status?x=1')).toBe(true);
  });

  it('does not match the traced routes or look-alikes', () => {
    for (const path of ['/', '/items/5', '/tracesx', '/statusx', '/status/more', '/x/traces/1', '/boom']) {
      expect(isUntracedApiPath(path), path).toBe(false);
    }
  });
});

describe('topology and tail sampling', () => {
  it('defaults to one Collector, and to the documented sampling policy', () => {
    const config = loadStackConfig({});
    expect(config.topology).toBe('single');
    expect(config.gateways).toEqual([]);
    expect(config.tailSampling).toEqual({ latencyMs: 1000, percent: 10, decisionWaitMs: 3000 });
  });

  it('gives each gateway its name and four ports from GATEWAY_BASE_PORT', () => {
    const config = loadStackConfig({ STACK_TOPOLOGY: 'gateway' });
    expect(config.gateways.map((g) => [g.name, g.grpcPort, g.healthPort])).toEqual([
      ['gateway-1', 14400, 14401],
      ['gateway-2', 14410, 14411],
    ]);
    expect(config.gateways[1]!.healthUrl).toBe('http://127.0.0.1:14411/');
  });

  it('rejects a bad topology, gateway count, percentage or decision wait, naming the variable', () => {
    expect(() => loadStackConfig({ STACK_TOPOLOGY: 'mesh' })).toThrow(
      /STACK_TOPOLOGY must be one of single, gateway/,
    );
    expect(() => loadStackConfig({ STACK_TOPOLOGY: 'gateway', GATEWAY_COUNT: '0' })).toThrow(/GATEWAY_COUNT/);
    expect(() => loadStackConfig({ STACK_TOPOLOGY: 'gateway', GATEWAY_COUNT: '9' })).toThrow(/GATEWAY_COUNT/);
    expect(() => loadStackConfig({ TAIL_SAMPLING_PERCENT: '101' })).toThrow(/TAIL_SAMPLING_PERCENT/);
    expect(() => loadStackConfig({ TAIL_SAMPLING_PERCENT: '10.5' })).toThrow(/TAIL_SAMPLING_PERCENT/);
    expect(() => loadStackConfig({ TAIL_SAMPLING_DECISION_WAIT_MS: '6000' })).toThrow(
      /TAIL_SAMPLING_DECISION_WAIT_MS must be a whole number from 100 to 5000/,
    );
    expect(() => loadStackConfig({ STACK_TOPOLOGY: 'gateway', GATEWAY_BASE_PORT: '65530' })).toThrow(
      /leaves no room/,
    );
  });
});
