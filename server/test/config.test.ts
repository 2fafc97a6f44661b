import { describe, expect, it } from 'vitest';
import { loadApiConfig } from '../src/config.ts';

describe('loadApiConfig', () => {
  it('defaults to 127.0.0.1:3000 and both spellings of the web origin', () => {
    expect(loadApiConfig({})).toEqual({
      host: '127.0.0.1',
      port: 3000,
      allowedOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
      inventory: { url: 'http://127.0.0.1:3001', timeoutMs: 5000 },
      jaegerUrl: 'http://127.0.0.1:16686',
      health: {
        collector: 'http://127.0.0.1:13133/',
        jaeger: 'http://127.0.0.1:13134/status',
        inventory: 'http://127.0.0.1:3001/healthz',
      },
      sampling: { topology: 'single' },
    });
    expect(loadApiConfig({ STACK_TOPOLOGY: 'gateway', TAIL_SAMPLING_PERCENT: '25' }).sampling).toEqual({
      topology: 'gateway',
      percent: 25,
      latencyMs: 1000,
    });
  });

  it('reads INVENTORY_URL and INVENTORY_TIMEOUT_MS, and names a bad timeout', () => {
    const config = loadApiConfig({ INVENTORY_URL: 'http://inventory:3001', INVENTORY_TIMEOUT_MS: '250' });
    expect(config.inventory).toEqual({ url: 'http://inventory:3001', timeoutMs: 250 });
    for (const bad of ['0', '1.5', 'soon', '60001']) {
      expect(() => loadApiConfig({ INVENTORY_TIMEOUT_MS: bad })).toThrow(/INVENTORY_TIMEOUT_MS/);
    }
  });

  it('names the variable when a port is not a port', () => {
    expect(() => loadApiConfig({ API_PORT: 'http' })).toThrow(/API_PORT must be a port number/);
    expect(() => loadApiConfig({ API_PORT: '70000' })).toThrow(/API_PORT/);
  });

  it('refuses a wildcard origin', () => {
    expect(() => loadApiConfig({ WEB_ORIGINS: '*' })).toThrow(/WEB_ORIGINS/);
    expect(() => loadApiConfig({ WEB_ORIGINS: 'http://a.test/path' })).toThrow(/WEB_ORIGINS/);
  });
});
