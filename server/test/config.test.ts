import { describe, expect, it } from 'vitest';
import { loadApiConfig } from '../src/config.ts';

describe('loadApiConfig', () => {
  it('defaults to 127.0.0.1:3000 and both spellings of the web origin', () => {
    expect(loadApiConfig({})).toEqual({
      host: '127.0.0.1',
      port: 3000,
      allowedOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
    });
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
