/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time per
 * function and per package, so a report can say where the time goes.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

export interface CpuProfile {
  /** Microseconds on the system's monotonic clock (the one of process.hrtime). */
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  /** Sampled time, idle excluded (ms). */
  totalMs: number;
  topFunctions: SelfTime[];
  /** Self time grouped by npm package ('node' for Node's internals, 'app' for server/src). */
  byPackage: SelfTime[];
}

/** The npm package a script URL belongs to (pnpm layout: the last node_modules segment). */
export function packageOf(url: string): string {
  if (url === '') return '(native or V8)';
  if (url.startsWith('node:')) return 'node';
  const parts = url.split('/node_modules/');
  if (parts.length > 1) {
    const rest = parts[parts.length - 1]!.split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.includes('/server/src/')) return 'app';
  return url.replace(/^file:\/\//, '');
}

function shortWhere(url: string, line: number): string {
  if (url === '') return '';
  const parts = url.split('/node_modules/');
  const tail = parts.length > 1 ? parts[parts.length - 1]! : url.replace(/^.*\/(server|stack)\//, '$1/');
  return `${tail}:${line + 1}`;
}

/** The monotonic clock of process.hrtime and of V8 profiles, in microseconds. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * Self time per function and package. With `fromUs`/`toUs` (monotonic
 * microseconds, see {@link monotonicUs}) only samples in that window count,
 * e.g. the load phase without the process's start-up.
 */
export function summarizeCpuProfile(
  profile: CpuProfile,
  { top = 15, fromUs = -Infinity, toUs = Infinity }: { top?: number; fromUs?: number; toUs?: number } = {},
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time since the previous sample; it is spent in the
  // stack of sample i-1. Attributing it to sample i is the usual approximation.
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at >= fromUs && at <= toUs) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });

  const functions = new Map<string, { name: string; where: string; us: number }>();
  const packages = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    totalUs += us;
    const name = frame.functionName || '(anonymous)';
    const key = `${name}@${frame.url}:${frame.lineNumber}`;
    const entry = functions.get(key) ?? { name, where: shortWhere(frame.url, frame.lineNumber), us: 0 };
    entry.us += us;
    functions.set(key, entry);
    // V8's pseudo-frames ((garbage collector), (program)) have no script.
    const pkg = frame.url === '' && name.startsWith('(') ? name : packageOf(frame.url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const percent = (us: number) => (totalUs === 0 ? 0 : (100 * us) / totalUs);
  return {
    totalMs: totalUs / 1000,
    topFunctions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, ms: f.us / 1000, percent: percent(f.us) })),
    byPackage: [...packages.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, where: '', ms: us / 1000, percent: percent(us) })),
  };
}

/** A profile of one API under load, with the number of requests it served in the profiled window. */
export interface ApiProfile {
  route: string;
  requests: number;
  summary: ProfileSummary;
}

/**
 * Markdown: self time per request by package, untraced vs traced, and the
 * traced API's top functions. Per request, so the two columns compare even
 * though the untraced API served several times more requests.
 */
export function renderProfileComparison(off: ApiProfile, on: ApiProfile, top = 12): string {
  const perRequest = (ms: number, requests: number) => (requests === 0 ? 0 : (ms * 1000) / requests);
  const offBy = new Map(off.summary.byPackage.map((p) => [p.name, p.ms]));
  const onBy = new Map(on.summary.byPackage.map((p) => [p.name, p.ms]));
  const names = [...new Set([...onBy.keys(), ...offBy.keys()])]
    .map((name) => ({
      name,
      off: perRequest(offBy.get(name) ?? 0, off.requests),
      on: perRequest(onBy.get(name) ?? 0, on.requests),
    }))
    .sort((a, b) => b.on - a.on)
    .slice(0, top);
  const total = (p: ApiProfile) => perRequest(p.summary.totalMs, p.requests);
  return [
    `### ${on.route}`,
    '',
    `CPU per request (sampled, idle excluded): ${total(off).toFixed(0)} µs untraced, ${total(on).toFixed(0)} µs traced ` +
      `(${off.requests.toLocaleString('en-US')} and ${on.requests.toLocaleString('en-US')} requests profiled).`,
    '',
    '| self time by package | µs/request OFF | µs/request ON | added |',
    '|---|---:|---:|---:|',
    ...names.map(
      (n) => `| ${n.name} | ${n.off.toFixed(1)} | ${n.on.toFixed(1)} | ${(n.on - n.off).toFixed(1)} |`,
    ),
    '',
    '| traced API: top functions by self time | where | µs/request |',
    '|---|---|---:|',
    ...on.summary.topFunctions
      .slice(0, top)
      .map(
        (f) =>
          `| ${f.name.replace(/\|/g, '\\|')} | ${f.where} | ${perRequest(f.ms, on.requests).toFixed(1)} |`,
      ),
  ].join('\n');
}
