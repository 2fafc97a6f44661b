/**
 * Unit tests of the checkers in checks.ts: each gets input it must reject.
 * No browser and no stack (plain Playwright `test`, no page fixture).
 */
import { expect, test } from '@playwright/test';
import {
  cspProblems,
  exposedListeners,
  findValues,
  headerProblems,
  listeningSocketsOf,
  nodeServiceProblems,
  oversizedStrings,
  parseProcNetTcp,
  traceStateProblems,
} from './checks.ts';

const TCP_HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const tcpLine = (sl: number, local: string, state: string, inode: number) =>
  `  ${sl}: ${local} 00000000:0000 ${state} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0`;
const TCP6_HEADER =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const tcp6Line = (sl: number, local: string, state: string, inode: number) =>
  `  ${sl}: ${local} 00000000000000000000000000000000:0000 ${state} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0`;

test.describe('parseProcNetTcp', () => {
  test('reads IPv4 listeners (little-endian addresses) and skips other states', () => {
    const text = [
      TCP_HEADER,
      tcpLine(0, '0100007F:0BB8', '0A', 101), // 127.0.0.1:3000
      tcpLine(1, '00000000:1F90', '0A', 102), // 0.0.0.0:8080
      tcpLine(2, '0100007F:D2F0', '01', 103), // established: not a listener
      tcpLine(3, '0A00000A:0050', '0A', 104), // 10.0.0.10:80
    ].join('\n');
    expect(parseProcNetTcp(text, 4)).toEqual([
      { address: '127.0.0.1', port: 3000, inode: 101 },
      { address: '0.0.0.0', port: 8080, inode: 102 },
      { address: '10.0.0.10', port: 80, inode: 104 },
    ]);
  });

  test('reads IPv6 listeners: ::1, ::, IPv4-mapped and a full address', () => {
    const text = [
      TCP6_HEADER,
      tcp6Line(0, '00000000000000000000000001000000:0BB8', '0A', 201),
      tcp6Line(1, '00000000000000000000000000000000:1F90', '0A', 202),
      tcp6Line(2, '0000000000000000FFFF00000100007F:1F91', '0A', 203),
      tcp6Line(3, 'B80D0120000000000000000001000000:0050', '0A', 204),
    ].join('\n');
    expect(parseProcNetTcp(text, 6)).toEqual([
      { address: '::1', port: 3000, inode: 201 },
      { address: '::', port: 8080, inode: 202 },
      { address: '127.0.0.1', port: 8081, inode: 203 },
      { address: '2001:db8::1', port: 80, inode: 204 },
    ]);
  });

  test('rejects text that is not the table, and lines it cannot read', () => {
    expect(() => parseProcNetTcp('hello', 4)).toThrow(/not a \/proc\/net\/tcp table/);
    expect(() => parseProcNetTcp(`${TCP_HEADER}\n  0: 7F000001-0BB8 00000000:0000 0A`, 4)).toThrow(
      /unreadable/,
    );
    // An IPv6 address in the IPv4 table is not silently misread.
    expect(() =>
      parseProcNetTcp(`${TCP_HEADER}\n${tcp6Line(0, '0'.repeat(32) + ':0050', '0A', 1)}`, 4),
    ).toThrow(/unreadable/);
  });

  test('reads this machine’s real tables', () => {
    // Whatever listens here, the parser must read every line of it.
    expect(() => listeningSocketsOf(new Map([['self', process.pid]]))).not.toThrow();
  });
});

test.describe('exposedListeners', () => {
  const listeners = [
    { address: '127.0.0.1', port: 3000, inode: 1 },
    { address: '::1', port: 3001, inode: 2 },
  ];

  test('accepts loopback listeners', () => {
    expect(exposedListeners(listeners)).toEqual([]);
  });

  test('rejects a 0.0.0.0 listener, an IPv6 wildcard and a LAN address', () => {
    const open = [
      { address: '0.0.0.0', port: 4318, inode: 3 },
      { address: '::', port: 4317, inode: 4 },
      { address: '192.168.1.5', port: 16686, inode: 5 },
    ];
    expect(exposedListeners([...listeners, ...open])).toEqual(open);
    expect(exposedListeners([...listeners, ...open], '127.0.0.1')).toEqual(open);
  });

  test('accepts what BIND_HOST says, and only that', () => {
    const wildcard = [
      { address: '0.0.0.0', port: 4318, inode: 3 },
      { address: '192.168.1.5', port: 16686, inode: 5 },
    ];
    expect(exposedListeners(wildcard, '0.0.0.0')).toEqual([wildcard[1]]);
    expect(exposedListeners(wildcard, '192.168.1.5')).toEqual([wildcard[0]]);
  });
});

test.describe('headerProblems', () => {
  const expected = { 'x-content-type-options': 'nosniff', 'cache-control': /no-store/ };

  test('accepts the expected headers', () => {
    expect(
      headerProblems(
        new Headers({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' }),
        expected,
      ),
    ).toEqual([]);
  });

  test('rejects a missing or wrong header', () => {
    expect(headerProblems({ 'cache-control': 'max-age=60' }, expected)).toEqual([
      'x-content-type-options is missing',
      'cache-control is "max-age=60", expected /no-store/',
    ]);
  });
});

test.describe('cspProblems', () => {
  const origins = ['http://127.0.0.1:3000', 'http://127.0.0.1:4318'];
  const strict =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self' http://127.0.0.1:3000 http://127.0.0.1:4318; frame-ancestors 'none'";

  test('accepts the strict policy', () => {
    expect(cspProblems(strict, origins)).toEqual([]);
  });

  for (const [name, policy, problem] of [
    ['an extra connect-src origin', strict.replace('4318;', '4318 http://evil.test;'), /connect-src is/],
    ['a wildcard connect-src', strict.replace("connect-src 'self'", "connect-src 'self' *"), /connect-src/],
    [
      'inline scripts',
      strict.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
      /script-src/,
    ],
    ['no frame-ancestors', strict.replace("; frame-ancestors 'none'", ''), /frame-ancestors/],
    ['a missing Collector origin', strict.replace(' http://127.0.0.1:4318', ''), /connect-src is/],
  ] as const) {
    test(`rejects ${name}`, () => {
      expect(cspProblems(policy, origins).join('\n')).toMatch(problem);
    });
  }
});

test.describe('stored trace checks', () => {
  const raw = {
    result: {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceState: 'a=1,b=2',
                  attributes: [{ key: 'url.path', value: { stringValue: '/items/5' } }],
                },
              ],
            },
          ],
        },
      ],
    },
  };

  test('findValues finds a secret anywhere in the trace, and nothing else', () => {
    expect(findValues(raw, ['s3cr3t'])).toEqual([]);
    const leaked = structuredClone(raw);
    leaked.result.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes.push({
      key: 'http.request.header.authorization',
      value: { stringValue: 'Bearer s3cr3t' },
    });
    expect(findValues(leaked, ['s3cr3t'])).toEqual([
      '$.result.resourceSpans[0].scopeSpans[0].spans[0].attributes[1].value.stringValue contains "s3cr3t"',
    ]);
  });

  test('oversizedStrings rejects a long value', () => {
    expect(oversizedStrings(raw, 100)).toEqual([]);
    expect(oversizedStrings({ a: 'x'.repeat(101) }, 100)).toEqual(['$.a is 101 characters long']);
  });

  test('traceStateProblems rejects over 32 members and over 512 characters', () => {
    expect(traceStateProblems('a=1,b=2')).toEqual([]);
    expect(traceStateProblems(Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(','))).toEqual([
      'traceState has 33 members (max 32)',
    ]);
    expect(traceStateProblems(`k=${'v'.repeat(511)}`)).toEqual([
      'traceState is 513 characters long (max 512)',
    ]);
  });
});

test.describe('nodeServiceProblems', () => {
  const service = [
    '/x/.tools/node/bin/node',
    '--max-semi-space-size=4',
    '--import',
    './src/tracing.ts',
    './src/server.ts',
  ];

  test('accepts the pinned Node with its own type stripping (the tracing preload is no loader)', () => {
    expect(nodeServiceProblems(service, 'v24.22.3\n', '24.22.3\n')).toEqual([]);
  });

  test('rejects another Node, and a TypeScript loader in the command line', () => {
    expect(nodeServiceProblems(service, 'v20.20.2', '24.22.3')).toEqual([
      'runs on Node v20.20.2, not v24.22.3',
    ]);
    expect(
      nodeServiceProblems(['node', '--import', 'tsx', './src/server.ts'], 'v24.22.3', '24.22.3'),
    ).toEqual(['loads tsx']);
    expect(
      nodeServiceProblems(['/app/node_modules/.bin/tsx', './src/server.ts'], 'v24.22.3', '24.22.3'),
    ).toEqual(['loads /app/node_modules/.bin/tsx']);
    expect(
      nodeServiceProblems(['node', '--loader', 'ts-node/esm', 'server.ts'], 'v24.22.3', '24.22.3'),
    ).toEqual(['loads --loader, ts-node/esm']);
  });
});
