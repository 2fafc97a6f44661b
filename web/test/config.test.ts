import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BROWSER_ENDPOINT_KEYS, BROWSER_ENDPOINTS } from '@tracing-demo/stack/browser-config';
import { resolveAppConfig, RUNTIME_CONFIG_GLOBAL, type BuildEnv } from '../src/resolve-config';

const env: BuildEnv = {
  VITE_API_URL: 'http://127.0.0.1:3000',
  VITE_OTLP_TRACES_URL: 'http://127.0.0.1:4318/v1/traces',
  VITE_JAEGER_URL: 'http://127.0.0.1:16686',
};

const runtime = {
  apiUrl: 'https://api.example:8443/',
  otlpTracesUrl: 'https://otel.example/v1/traces',
  jaegerUrl: 'https://jaeger.example/',
};

describe('resolveAppConfig', () => {
  it('takes the VITE_* values when there is no runtime config (the native path)', () => {
    for (const absent of [undefined, null, {}]) {
      expect(resolveAppConfig(absent, env)).toEqual({
        serviceName: 'web',
        apiUrl: 'http://127.0.0.1:3000',
        otlpTracesUrl: 'http://127.0.0.1:4318/v1/traces',
        jaegerUrl: 'http://127.0.0.1:16686',
      });
    }
  });

  it('prefers every endpoint the runtime config sets', () => {
    expect(resolveAppConfig(runtime, env)).toEqual({
      serviceName: 'web',
      apiUrl: 'https://api.example:8443',
      otlpTracesUrl: 'https://otel.example/v1/traces',
      jaegerUrl: 'https://jaeger.example',
    });
  });

  it('falls back to VITE_* endpoint by endpoint', () => {
    const config = resolveAppConfig({ apiUrl: 'http://localhost:3100', otlpTracesUrl: '' }, env);
    expect(config.apiUrl).toBe('http://localhost:3100');
    expect(config.otlpTracesUrl).toBe(env.VITE_OTLP_TRACES_URL);
    expect(config.jaegerUrl).toBe(env.VITE_JAEGER_URL);
  });

  it('needs no VITE_* value for an endpoint the runtime config sets', () => {
    expect(resolveAppConfig(runtime, {}).apiUrl).toBe('https://api.example:8443');
  });

  it('keeps the messages that name the VITE_* variable', () => {
    expect(() => resolveAppConfig(undefined, { ...env, VITE_API_URL: undefined })).toThrow(
      'VITE_API_URL is not set: start the page through web/vite.config.ts or set it in web/.env.',
    );
    expect(() => resolveAppConfig(undefined, { ...env, VITE_JAEGER_URL: '127.0.0.1:16686' })).toThrow(
      'VITE_JAEGER_URL must be an absolute URL, got "127.0.0.1:16686".',
    );
  });

  it('names the runtime config key of an invalid endpoint', () => {
    expect(() => resolveAppConfig({ otlpTracesUrl: '/v1/traces' }, env)).toThrow(
      'window.__TRACING_DEMO_CONFIG__.otlpTracesUrl must be an absolute URL, got "/v1/traces".',
    );
  });

  it('rejects a runtime config that is not an object of known string keys', () => {
    expect(() => resolveAppConfig('http://api', env)).toThrow(/__TRACING_DEMO_CONFIG__ must be an object/);
    expect(() => resolveAppConfig([runtime.apiUrl], env)).toThrow(/must be an object/);
    expect(() => resolveAppConfig({ apiURL: runtime.apiUrl }, env)).toThrow(
      'window.__TRACING_DEMO_CONFIG__ has an unknown key "apiURL"; the keys are apiUrl, otlpTracesUrl, jaegerUrl.',
    );
    expect(() => resolveAppConfig({ apiUrl: 3000 }, env)).toThrow(
      'window.__TRACING_DEMO_CONFIG__.apiUrl must be a string, got 3000.',
    );
  });
});

describe('appConfig (the module as the page loads it)', () => {
  const global = globalThis as Record<string, unknown>;

  afterEach(() => {
    delete global[RUNTIME_CONFIG_GLOBAL];
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  async function load(runtimeConfig: unknown) {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    if (runtimeConfig !== undefined) global[RUNTIME_CONFIG_GLOBAL] = runtimeConfig;
    vi.resetModules();
    return (await import('../src/config')).appConfig;
  }

  it('reads import.meta.env when runtime-config.js set nothing', async () => {
    expect((await load(undefined)).apiUrl).toBe(env.VITE_API_URL);
  });

  it('reads globalThis.__TRACING_DEMO_CONFIG__ first', async () => {
    const config = await load({ apiUrl: 'http://10.0.0.5:3000' });
    expect(config.apiUrl).toBe('http://10.0.0.5:3000');
    expect(config.jaegerUrl).toBe(env.VITE_JAEGER_URL);
    expect(Object.isFrozen(config)).toBe(true);
  });
});

describe('the VITE_* names of stack/src/browser-config.ts', () => {
  const source = (file: string) => readFileSync(join(import.meta.dirname, '..', 'src', file), 'utf8');

  it.each(BROWSER_ENDPOINT_KEYS.map((key) => BROWSER_ENDPOINTS[key].viteName))(
    '%s is read by src/config.ts (spelled out for Vite) and typed in src/vite-env.d.ts',
    (name) => {
      expect(source('config.ts')).toContain(`${name}: import.meta.env.${name},`);
      expect(source('vite-env.d.ts')).toMatch(new RegExp(`readonly ${name}: string;`));
    },
  );
});
