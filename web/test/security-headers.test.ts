import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, originOf, webSecurityHeaders } from '../security-headers.ts';

const options = {
  connectTo: ['http://127.0.0.1:3000', 'http://127.0.0.1:4318/v1/traces'],
  webOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
};

/** Directive name → sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('the production build policy (vite preview)', () => {
  const policy = directives(contentSecurityPolicy(options));

  it('connects only to itself, the API origin and the Collector origin', () => {
    expect(policy.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:3000', 'http://127.0.0.1:4318']);
  });

  it('runs only its own scripts and styles, and cannot be framed', () => {
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
  });

  it('has no wildcard, no unsafe-* source and no WebSocket', () => {
    const all = [...policy.values()].flat();
    expect(all.filter((source) => /\*|unsafe|^ws/.test(source))).toEqual([]);
  });

  it('lists an origin once when the API and the Collector share it', () => {
    const shared = directives(
      contentSecurityPolicy({ ...options, connectTo: ['https://x.test/api', 'https://x.test/v1/traces'] }),
    );
    expect(shared.get('connect-src')).toEqual(["'self'", 'https://x.test']);
  });
});

describe('the dev server policy', () => {
  const policy = directives(contentSecurityPolicy(options, { dev: true }));

  it('adds inline code and the HMR WebSocket, nothing else', () => {
    expect(policy.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get('connect-src')).toEqual([
      "'self'",
      'http://127.0.0.1:3000',
      'http://127.0.0.1:4318',
      'ws://localhost:5173',
      'ws://127.0.0.1:5173',
    ]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  });
});

describe('headers', () => {
  it('include nosniff and DENY besides the policy', () => {
    expect(webSecurityHeaders(options)).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
  });
});

describe('originOf', () => {
  it('keeps scheme, host and port only', () => {
    expect(originOf('http://127.0.0.1:4318/v1/traces?x=1')).toBe('http://127.0.0.1:4318');
  });

  it.each(['127.0.0.1:3000', '/api', 'javascript:alert(1)', 'ftp://files.test/', '*'])(
    'rejects %j: a policy source must be an http(s) origin',
    (url) => {
      expect(() => originOf(url)).toThrow(/URL/);
    },
  );
});
