import { describe, expect, it } from 'vitest';
import { routeChangeSpan, routeOf } from '../../src/telemetry/route-change';

describe('routeOf', () => {
  it('is the fragment, #/ when there is none', () => {
    expect(routeOf('http://x/#/traces')).toBe('#/traces');
    expect(routeOf('http://x/#/traces/abc')).toBe('#/traces/abc');
    expect(routeOf('http://x/')).toBe('#/');
    expect(routeOf('http://x/#')).toBe('#/');
  });
});

describe('routeChangeSpan', () => {
  it('names the new route and records both', () => {
    expect(routeChangeSpan('http://x/', 'http://x/#/traces')).toEqual({
      name: 'route_change #/traces',
      attributes: { 'app.route.from': '#/', 'app.route.to': '#/traces', 'url.full': 'http://x/#/traces' },
    });
  });

  it('makes no span when the route stays the same (#/ and no fragment)', () => {
    expect(routeChangeSpan('http://x/', 'http://x/#/')).toBeUndefined();
  });
});
