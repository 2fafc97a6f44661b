import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadStackConfig, STACK_TOPOLOGIES } from '../src/config.ts';
import {
  BINARIES,
  NODE_COMPILE_CACHE,
  NODE_SERVICE_FLAGS,
  nodeService,
  REPO_ROOT,
  stackProcesses,
  topologyOverlay,
} from '../src/processes.ts';
import { NEVER_RESTART, RESTART_ON_FAILURE } from '../src/supervisor.ts';

const config = loadStackConfig({});
const byName = (options = {}) => new Map(stackProcesses(config, options).map((proc) => [proc.name, proc]));
const TRACING = ['--import', './src/tracing.ts'];

function containsRun(list: string[], run: string[]): boolean {
  return list.some((_, i) => run.every((item, j) => list[i + j] === item));
}

describe('the processes as data', () => {
  it('runs programs directly with argument arrays, never through a shell', () => {
    for (const proc of stackProcesses(config, { webMode: 'preview' })) {
      expect(proc.program, proc.name).not.toMatch(/(^|\/)(sh|bash)$/);
      expect(proc.args.join(' '), proc.name).not.toMatch(/&&|\bexec\b/);
    }
    expect(byName().get('jaeger')!.program).toBe(BINARIES.jaeger);
    expect(byName().get('api')!.program).toBe(process.execPath);
  });

  it('depends only on processes described before, so the order starts everything', () => {
    const seen = new Set<string>();
    for (const proc of stackProcesses(config)) {
      for (const dependency of proc.dependsOn)
        expect(seen.has(dependency), `${proc.name} → ${dependency}`).toBe(true);
      seen.add(proc.name);
    }
    expect(byName().get('api')!.dependsOn).toEqual(['collector', 'inventory']);
  });

  it('turns tracing on by default and off as an option, nothing else changing', () => {
    const on = byName().get('api')!;
    const off = byName({ traced: false }).get('api')!;
    expect(on.traced).toBe(true);
    expect(containsRun(on.args, TRACING)).toBe(true);
    expect(off.traced).toBe(false);
    expect(containsRun(off.args, TRACING)).toBe(false);
    // No TypeScript loader: node strips the types itself.
    expect(on.args).toEqual([...NODE_SERVICE_FLAGS, ...TRACING, './src/server.ts']);
    expect(off.args).toEqual([...NODE_SERVICE_FLAGS, './src/server.ts']);
  });

  it('puts node flags before the preloads', () => {
    const api = nodeService(config, 'api', { nodeFlags: ['--cpu-prof', '--cpu-prof-dir=/tmp/p'] });
    expect(api.args.slice(0, 4)).toEqual([
      ...NODE_SERVICE_FLAGS,
      '--cpu-prof',
      '--cpu-prof-dir=/tmp/p',
      '--import',
    ]);
  });

  it('polls each Node service on its untraced health path', () => {
    expect(byName().get('api')!.healthUrl).toBe(`${config.api.url}/healthz`);
    expect(byName().get('inventory')!.healthUrl).toBe(`${config.inventory.url}/healthz`);
  });

  it('builds then serves the build by default (into the given directory), or runs the dev server', () => {
    const dev = byName({ webMode: 'dev' }).get('web')!;
    expect(dev.prepare).toBeUndefined();
    expect(dev.args).toEqual([`${REPO_ROOT}web/node_modules/vite/bin/vite.js`]);
    const build = byName({ webOutDir: '/tmp/bench web' }).get('web')!;
    expect(build.prepare?.args).toEqual(
      expect.arrayContaining(['build', '--outDir', '/tmp/bench web', '--emptyOutDir']),
    );
    // web/serve.ts, not `vite preview`: Vite is not loaded to serve files.
    expect(build.args).toEqual([`${REPO_ROOT}web/serve.ts`, '--outDir', '/tmp/bench web']);
    const defaultDist = byName().get('web')!;
    expect(defaultDist.args).toEqual([`${REPO_ROOT}web/serve.ts`]);
  });

  it('gives every Node process the compile cache (warm, no process loads the type stripper)', () => {
    const processes = byName();
    for (const name of ['api', 'inventory', 'web'] as const) {
      expect(processes.get(name)!.program).toBe(process.execPath);
      expect(processes.get(name)!.env.NODE_COMPILE_CACHE, name).toBe(NODE_COMPILE_CACHE);
    }
    expect(processes.get('jaeger')!.env.NODE_COMPILE_CACHE).toBeUndefined();
  });

  it('restarts on failure unless told otherwise', () => {
    expect(byName().get('collector')!.restart).toEqual(RESTART_ON_FAILURE);
    expect(byName({ restart: NEVER_RESTART }).get('collector')!.restart.mode).toBe('never');
  });
});

describe('the gateway topology', () => {
  const gateway = loadStackConfig({
    STACK_TOPOLOGY: 'gateway',
    GATEWAY_COUNT: '3',
    GATEWAY_BASE_PORT: '20000',
  });
  const processes = stackProcesses(gateway);

  it('adds one gateway process per GATEWAY_COUNT, started after Jaeger and before the agent', () => {
    expect(processes.map((proc) => proc.name)).toEqual([
      'jaeger',
      'gateway-1',
      'gateway-2',
      'gateway-3',
      'collector',
      'inventory',
      'api',
      'web',
    ]);
    expect(processes.find((proc) => proc.name === 'collector')!.dependsOn).toEqual([
      'gateway-1',
      'gateway-2',
      'gateway-3',
    ]);
  });

  it('runs the same Collector binary and config, with an overlay and ports of its own', () => {
    const second = processes.find((proc) => proc.name === 'gateway-2')!;
    expect(second.program).toBe(BINARIES.collector);
    expect(second.args.join(' ')).toMatch(/otelcol-config\.yaml --config .*otelcol-gateway\.yaml$/);
    expect(second.env).toMatchObject({
      GATEWAY_NAME: 'gateway-2',
      COLLECTOR_OTLP_GRPC_PORT: '20010',
      COLLECTOR_HEALTH_PORT: '20011',
      COLLECTOR_METRICS_PORT: '20012',
      COLLECTOR_OTLP_HTTP_PORT: '20013',
    });
    const agent = processes.find((proc) => proc.name === 'collector')!;
    expect(agent.args.join(' ')).toMatch(/otelcol-config\.yaml --config .*otelcol-topology-gateway\.yaml$/);
    expect(agent.env.GATEWAY_ENDPOINTS).toBe('[127.0.0.1:20000, 127.0.0.1:20010, 127.0.0.1:20020]');
    const ports = processes.flatMap((proc) => Object.values(proc.ports));
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('has no gateway in the single topology, and the single Collector exports to Jaeger itself', () => {
    const single = stackProcesses(config);
    expect(single.some((proc) => proc.name.startsWith('gateway'))).toBe(false);
    expect(single.find((proc) => proc.name === 'collector')!.args).toEqual([
      '--config',
      `${REPO_ROOT}collector/otelcol-config.yaml`,
      '--config',
      `${REPO_ROOT}collector/otelcol-topology-single.yaml`,
    ]);
  });

  it('has an overlay file for every topology', () => {
    for (const topology of STACK_TOPOLOGIES)
      expect(existsSync(`${REPO_ROOT}collector/${topologyOverlay(topology)}`), topology).toBe(true);
  });
});
