/**
 * The checkers the fault and exposure specs use, as pure functions where
 * possible, so each one has a unit test with input it must reject
 * (checks.spec.ts).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

// ---------------------------------------------------------------------------
// Listening sockets, from /proc (works on any Linux, no `ss` needed)

export interface ProcNetListener {
  /** Dotted IPv4 or compressed IPv6 text (IPv4-mapped IPv6 is shown as IPv4). */
  address: string;
  port: number;
  inode: number;
}

/** TCP state 0A is LISTEN in include/net/tcp_states.h. */
const TCP_LISTEN = '0A';

/** IPv4 in /proc/net/tcp is 8 hex digits, the 32-bit word in host (little-endian) order. */
function ipv4FromHex(hex: string): string {
  const bytes = hex.match(/../g)!.map((pair) => parseInt(pair, 16));
  return bytes.reverse().join('.');
}

/** IPv6 in /proc/net/tcp6 is 32 hex digits: four 32-bit words, each little-endian. */
function ipv6FromHex(hex: string): string {
  const bytes: number[] = [];
  for (let word = 0; word < 4; word++) {
    const chunk = hex
      .slice(word * 8, word * 8 + 8)
      .match(/../g)!
      .map((pair) => parseInt(pair, 16));
    bytes.push(...chunk.reverse());
  }
  // IPv4-mapped (::ffff:a.b.c.d): report the IPv4 address.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return bytes.slice(12).join('.');
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  // Compress the longest run of zero groups (RFC 5952).
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j;
  }
  if (best.start === -1) return groups.join(':');
  const head = groups.slice(0, best.start).join(':');
  const tail = groups.slice(best.start + best.length).join(':');
  return `${head}::${tail}`;
}

/**
 * Parses /proc/net/tcp or /proc/net/tcp6 and returns the LISTEN sockets.
 * Throws on a line it cannot read, rather than silently skipping a listener.
 */
export function parseProcNetTcp(text: string, family: 4 | 6): ProcNetListener[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0 || !/^\s*sl\s+local_address/.test(lines[0]!)) {
    throw new Error(`not a /proc/net/tcp${family === 6 ? '6' : ''} table: ${JSON.stringify(lines[0] ?? '')}`);
  }
  const addressDigits = family === 4 ? 8 : 32;
  const listeners: ProcNetListener[] = [];
  for (const line of lines.slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [, local, , state, , , , , , inode] = fields;
    const match = new RegExp(`^([0-9A-Fa-f]{${addressDigits}}):([0-9A-Fa-f]{4})$`).exec(local ?? '');
    if (!match || !state || !inode || !/^\d+$/.test(inode)) {
      throw new Error(`unreadable /proc/net/tcp${family === 6 ? '6' : ''} line: ${JSON.stringify(line)}`);
    }
    if (state.toUpperCase() !== TCP_LISTEN) continue;
    listeners.push({
      address: family === 4 ? ipv4FromHex(match[1]!) : ipv6FromHex(match[1]!),
      port: parseInt(match[2]!, 16),
      inode: Number(inode),
    });
  }
  return listeners;
}

/** Socket inodes a process holds open (`/proc/<pid>/fd/* -> socket:[inode]`). */
export function socketInodes(pid: number): Set<number> {
  const inodes = new Set<number>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(Number(match[1]));
    } catch {
      // The fd closed meanwhile.
    }
  }
  return inodes;
}

/** `pid` and all its descendants (from /proc/<pid>/stat parent ids). */
export function processTree(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may contain spaces and parentheses: the ppid follows the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // Exited meanwhile.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parentOf) if (parent === tree[i] && !tree.includes(child)) tree.push(child);
  }
  return tree;
}

export interface ProcessListener extends ProcNetListener {
  /** Name of the stack process it belongs to. */
  process: string;
  pid: number;
}

/** Every TCP listening socket held by the given processes or their descendants. */
export function listeningSocketsOf(processes: ReadonlyMap<string, number>): ProcessListener[] {
  const all = [
    ...parseProcNetTcp(readFileSync('/proc/net/tcp', 'utf8'), 4),
    ...parseProcNetTcp(readFileSync('/proc/net/tcp6', 'utf8'), 6),
  ];
  const result: ProcessListener[] = [];
  for (const [name, rootPid] of processes) {
    for (const pid of processTree(rootPid)) {
      const inodes = socketInodes(pid);
      for (const listener of all) {
        if (inodes.has(listener.inode)) result.push({ ...listener, process: name, pid });
      }
    }
  }
  return result;
}

/**
 * The PID of the process listening on TCP `port` (any address), found as a
 * user would with `ss -ltnp`: the socket's inode in /proc/net/tcp{,6}, then
 * the process holding it. Undefined when nothing listens there.
 */
export function pidListeningOn(port: number): number | undefined {
  const inodes = new Set(
    [
      ...parseProcNetTcp(readFileSync('/proc/net/tcp', 'utf8'), 4),
      ...parseProcNetTcp(readFileSync('/proc/net/tcp6', 'utf8'), 6),
    ]
      .filter((listener) => listener.port === port)
      .map((listener) => listener.inode),
  );
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    for (const inode of socketInodes(Number(entry))) if (inodes.has(inode)) return Number(entry);
  }
  return undefined;
}

/** Loopback addresses, plus BIND_HOST when it names another one. */
export function allowedListenAddresses(bindHost = '127.0.0.1'): Set<string> {
  const allowed = new Set(['127.0.0.1', '::1']);
  if (bindHost === 'localhost') return allowed;
  allowed.add(bindHost);
  // Listening on 0.0.0.0 may open the IPv6 wildcard too.
  if (bindHost === '0.0.0.0') allowed.add('::');
  return allowed;
}

/** The listeners on an address other than the allowed ones: should be empty. */
export function exposedListeners<T extends ProcNetListener>(listeners: readonly T[], bindHost?: string): T[] {
  const allowed = allowedListenAddresses(bindHost);
  return listeners.filter((listener) => !allowed.has(listener.address));
}

// ---------------------------------------------------------------------------
// Response headers

/** Headers that must be present with this exact value (string) or matching (RegExp). */
export type ExpectedHeaders = Record<string, string | RegExp>;

/** What is wrong with `headers` compared to `expected`; empty when all is well. */
export function headerProblems(
  headers: Headers | Record<string, string | undefined>,
  expected: ExpectedHeaders,
): string[] {
  const get = (name: string): string | null | undefined =>
    headers instanceof Headers ? headers.get(name) : headers[name.toLowerCase()];
  const problems: string[] = [];
  for (const [name, want] of Object.entries(expected)) {
    const value = get(name);
    if (value === null || value === undefined) problems.push(`${name} is missing`);
    else if (typeof want === 'string' ? value !== want : !want.test(value))
      problems.push(`${name} is ${JSON.stringify(value)}, expected ${String(want)}`);
  }
  return problems;
}

/** Content-Security-Policy directive name → sources (directive names lowercased). */
export function parseCsp(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    // The first occurrence wins, as in browsers.
    if (!directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/**
 * What keeps `policy` from being the web app's strict policy: scripts only
 * from itself, connections only to itself and the given origins (exactly),
 * never framed, nothing unsafe or wildcard anywhere.
 */
export function cspProblems(policy: string, connectOrigins: readonly string[]): string[] {
  const csp = parseCsp(policy);
  const problems: string[] = [];
  const same = (a: readonly string[] | undefined, b: readonly string[]) =>
    a !== undefined && a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');
  const connect = ["'self'", ...new Set(connectOrigins)];
  if (!same(csp.get('connect-src'), connect))
    problems.push(
      `connect-src is ${JSON.stringify(csp.get('connect-src'))}, expected ${JSON.stringify(connect)}`,
    );
  if (!same(csp.get('script-src'), ["'self'"]))
    problems.push(`script-src is ${JSON.stringify(csp.get('script-src'))}, expected ["'self'"]`);
  if (!same(csp.get('frame-ancestors'), ["'none'"]))
    problems.push(`frame-ancestors is ${JSON.stringify(csp.get('frame-ancestors'))}, expected ["'none'"]`);
  for (const [name, sources] of csp) {
    for (const source of sources) {
      if (source.includes('*') || /^'unsafe-/.test(source) || (source === 'data:' && name !== 'img-src')) {
        problems.push(`${name} allows ${source}`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Stored traces (Jaeger's OTLP JSON)

/** Every string in a JSON value with the path that leads to it. */
function* strings(value: unknown, path = '$'): Generator<{ path: string; value: string }> {
  if (typeof value === 'string') yield { path, value };
  else if (Array.isArray(value))
    for (const [i, item] of value.entries()) yield* strings(item, `${path}[${i}]`);
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) yield* strings(item, `${path}.${key}`);
}

/** Where in `raw` any of `needles` occurs (as a substring of any string, key names aside). */
export function findValues(raw: unknown, needles: readonly string[]): string[] {
  const found: string[] = [];
  for (const { path, value } of strings(raw)) {
    for (const needle of needles)
      if (value.includes(needle)) found.push(`${path} contains ${JSON.stringify(needle)}`);
  }
  return found;
}

/** Strings in `raw` longer than `maxLength`: an unbounded input that landed in the trace. */
export function oversizedStrings(raw: unknown, maxLength: number): string[] {
  const found: string[] = [];
  for (const { path, value } of strings(raw)) {
    if (value.length > maxLength) found.push(`${path} is ${value.length} characters long`);
  }
  return found;
}

/** W3C tracestate limits: at most 32 list members and 512 characters. */
export function traceStateProblems(traceState: string): string[] {
  const problems: string[] = [];
  if (traceState.length > 512) problems.push(`traceState is ${traceState.length} characters long (max 512)`);
  const members = traceState === '' ? 0 : traceState.split(',').length;
  if (members > 32) problems.push(`traceState has ${members} members (max 32)`);
  return problems;
}

/** Arguments that load a TypeScript loader or register hook instead of Node's own type stripping. */
const LOADER_ARGUMENT = /(^|[/@])(tsx|ts-node|esbuild-register|@swc-node)\b|^--(experimental-)?loader\b/;

/**
 * What is wrong with a Node service's process for the pinned runtime: its
 * `node --version` is not `v<pinned>`, or its command line (from
 * /proc/<pid>/cmdline) names a TypeScript loader.
 */
export function nodeServiceProblems(
  commandLine: readonly string[],
  version: string,
  pinned: string,
): string[] {
  const problems: string[] = [];
  if (version.trim() !== `v${pinned.trim()}`)
    problems.push(`runs on Node ${version.trim()}, not v${pinned.trim()}`);
  const loaders = commandLine.filter((arg) => LOADER_ARGUMENT.test(arg));
  if (loaders.length > 0) problems.push(`loads ${loaders.join(', ')}`);
  return problems;
}
