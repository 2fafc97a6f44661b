import { describe, expect, it } from 'vitest';
import {
  BROWSER_ENDPOINT_KEYS,
  BROWSER_ENDPOINTS,
  browserEndpoints,
  connectUrls,
} from '../src/browser-config.ts';
import { loadStackConfig, StackConfigError } from '../src/config.ts';

describe('browserEndpoints: the browser configuration, computed once', () => {
  it('derives every endpoint from the ports by default', () => {
    expect(browserEndpoints({})).toEqual({
      apiUrl: 'http://127.0.0.1:3000',
      otlpTracesUrl: 'http://127.0.0.1:4318/v1/traces',
      jaegerUrl: 'http://127.0.0.1:16686',
    });
  });

  it('follows a port change: one variable', () => {
    const env = { API_PORT: '3100', COLLECTOR_OTLP_HTTP_PORT: '4400', JAEGER_UI_PORT: '16700' };
    expect(browserEndpoints(env)).toEqual({
      apiUrl: 'http://127.0.0.1:3100',
      otlpTracesUrl: 'http://127.0.0.1:4400/v1/traces',
      jaegerUrl: 'http://127.0.0.1:16700',
    });
  });

  it.each(BROWSER_ENDPOINT_KEYS)(
    '%s: its VITE_* variable wins, then its *_URL variable, then the stack',
    (key) => {
      const { viteName, stackName, fromStack } = BROWSER_ENDPOINTS[key];
      expect(browserEndpoints({ [stackName]: 'https://a.example' })[key]).toBe('https://a.example');
      expect(
        browserEndpoints({ [viteName]: 'https://b.example', [stackName]: 'https://a.example' })[key],
      ).toBe('https://b.example');
      // An empty value is unset, as in a .env file with `VITE_API_URL=`.
      expect(browserEndpoints({ [viteName]: '' })[key]).toBe(fromStack(loadStackConfig({})));
    },
  );

  it('names the variable at fault', () => {
    expect(() => browserEndpoints({ API_PORT: 'x' })).toThrow(StackConfigError);
    expect(() => browserEndpoints({ API_PORT: 'x' })).toThrow(/API_PORT/);
  });

  it('lists the API and the Collector, not the Jaeger link, as what the page connects to', () => {
    expect(connectUrls(browserEndpoints({}))).toEqual([
      'http://127.0.0.1:3000',
      'http://127.0.0.1:4318/v1/traces',
    ]);
  });
});
