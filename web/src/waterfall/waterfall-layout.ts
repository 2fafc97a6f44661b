/**
 * From a trace's spans to the rows of the in-page waterfall: tree order,
 * depth, and where each bar sits on one time axis shared by every span.
 * Pure: unit-tested in test/waterfall/waterfall-layout.test.ts.
 *
 * The spans come from several processes (browser, API, inventory), each
 * stamping times with its own clock, so a child may appear to start before
 * its parent (see compareWithParent for what counts as clock skew). The
 * layout never "corrects" a clock: each bar is drawn at the time its own
 * process recorded, on an axis that runs from the earliest start to the
 * latest end over ALL spans, so every bar stays inside it.
 */
import type { TraceSpanView } from '@tracing-demo/contracts';

/** How many service colours the page defines (`.svc-0` … `.svc-7` in App.css). */
export const SERVICE_COLOURS = 8;

/** Narrowest bar, in percent of the axis, so a 0 ms span is still visible. */
export const MIN_WIDTH_PCT = 0.5;

/** Tolerance when comparing a child's times with its parent's (float rounding of µs → ms). */
const ROUNDING_MS = 0.001;

export interface WaterfallRow {
  span: TraceSpanView;
  /** 0 for roots, orphans and cut cycles; parent's depth + 1 otherwise. */
  depth: number;
  /** Start, in ms after the axis origin (the trace's earliest start); 0 when the span's own start is unusable. */
  startMs: number;
  /** The span's duration in ms, 0 when it was negative or not a number. */
  durationMs: number;
  /** Left edge of the bar, in percent of the axis: 0 ≤ offsetPct ≤ 100 − widthPct. */
  offsetPct: number;
  /** Width of the bar, in percent of the axis: MIN_WIDTH_PCT ≤ widthPct ≤ 100. */
  widthPct: number;
  /** Colour of the span's service: index into the page's SERVICE_COLOURS colours. */
  serviceIndex: number;
  /** The span's status is ERROR. */
  isError: boolean;
  /** It names a parent that is not in the trace (lost, or not arrived yet): drawn at depth 0. */
  orphan: boolean;
  /** Its parent links form a loop (or it is its own parent): the loop is cut here, drawn at depth 0. */
  cycle: boolean;
  /** Another span earlier in the input has the same id; children attach to that first one. */
  duplicateId: boolean;
  /** Its start or duration was not a usable number (or the duration was negative). */
  invalidTiming: boolean;
  /** Starts before its parent starts (see compareWithParent). */
  startsBeforeParent: boolean;
  /** Ends after its parent ends: normal, not skew (see compareWithParent). */
  endsAfterParent: boolean;
  /** Starts before its parent, and the two come from different services: their clocks differ. */
  clockSkew: boolean;
  /** How many rows are drawn directly under this one. */
  childCount: number;
}

export interface AxisTick {
  /** ms after the axis origin */
  ms: number;
  /** position in percent of the axis */
  pct: number;
}

export interface ServiceLegendEntry {
  service: string;
  serviceIndex: number;
  spanCount: number;
  errorCount: number;
}

export interface WaterfallLayout {
  /** One row per input span, in tree order: each span after its parent, siblings by start time. */
  rows: WaterfallRow[];
  /** Epoch ms of the axis origin: the earliest start of any span (0 when none has a usable start). */
  originUnixMs: number;
  /** Length of the axis: latest end − earliest start, over all spans (≥ 0). */
  totalMs: number;
  ticks: AxisTick[];
  /** Every service in the trace, in the order their first row appears. */
  services: ServiceLegendEntry[];
  errorCount: number;
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Where a span lies against its parent; all false when either has unusable times. */
export interface ParentTiming {
  startsBeforeParent: boolean;
  endsAfterParent: boolean;
  clockSkew: boolean;
}

/**
 * How a child's times compare with its parent's, and whether that shows
 * clock skew.
 *
 * The rule: clock skew is a child that STARTS before its parent starts
 * (beyond µs rounding) when the two spans come from different services,
 * i.e. different processes, each stamping times with its own clock (the
 * browser's `performance.timeOrigin`, each Node process's, another host's).
 * A parent starts before anything it causes, so only a clock difference can
 * put the child's start first. Within one service a child stamped before its
 * parent is odd data (a back-dated start), not skew: it is reported as
 * `startsBeforeParent` only.
 *
 * A child that ENDS after its parent is never skew: a CLIENT span ends when
 * the response headers arrive, while the SERVER span it caused is still
 * finishing (the API's call to the inventory shows it on every click), and a
 * parent need not wait for all its work. How far it ends after does not help
 * either: any tolerance would be a guess about network and scheduling delays.
 */
export function compareWithParent(child: TraceSpanView, parent: TraceSpanView): ParentTiming {
  const usable = (span: TraceSpanView) =>
    finite(span.startUnixMs) && finite(span.durationMs) && span.durationMs >= 0;
  if (!usable(child) || !usable(parent)) {
    return { startsBeforeParent: false, endsAfterParent: false, clockSkew: false };
  }
  const fromParentStart = child.startUnixMs - parent.startUnixMs;
  const startsBeforeParent = fromParentStart < -ROUNDING_MS;
  return {
    startsBeforeParent,
    endsAfterParent: fromParentStart + child.durationMs > parent.durationMs + ROUNDING_MS,
    clockSkew: startsBeforeParent && child.service !== parent.service,
  };
}

/** 32-bit FNV-1a: a stable, well-spread hash of a service name. */
function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i += 1) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Fixed colours for the demo's own services (web blue, api orange, inventory
 * green in App.css), so the three look the same in every trace.
 */
export const DEMO_SERVICE_SLOTS: Readonly<Record<string, number>> = { web: 0, api: 1, inventory: 2 };

/**
 * A colour index per service. A service in `preferred` gets its slot; any
 * other prefers the slot its name hashes to, so it too keeps its colour from
 * one trace to the next. They are placed in name order and a taken slot
 * moves a service to the next free one, so up to SERVICE_COLOURS services in
 * one trace never share a colour. The result depends only on the SET of
 * names, not on the order of the spans.
 */
export function serviceColourIndexes(
  services: Iterable<string>,
  preferred: Readonly<Record<string, number>> = DEMO_SERVICE_SLOTS,
): Map<string, number> {
  const names = [...new Set(services)].sort();
  const indexes = new Map<string, number>();
  const taken = new Set<number>();
  const fixed = names.filter((name) => Object.hasOwn(preferred, name));
  for (const name of fixed) {
    const slot = Math.abs(Math.trunc(preferred[name]!)) % SERVICE_COLOURS;
    indexes.set(name, slot);
    taken.add(slot);
  }
  for (const name of names) {
    if (indexes.has(name)) continue;
    let slot = hashName(name) % SERVICE_COLOURS;
    if (taken.size < SERVICE_COLOURS) {
      while (taken.has(slot)) slot = (slot + 1) % SERVICE_COLOURS;
    }
    taken.add(slot);
    indexes.set(name, slot);
  }
  return indexes;
}

/** A "nice" step (1, 2 or 5 × 10^k) that cuts `totalMs` into at most `maxTicks` intervals. */
export function tickStep(totalMs: number, maxTicks: number): number {
  if (!finite(totalMs) || totalMs <= 0 || !Number.isInteger(maxTicks) || maxTicks < 1) return 0;
  const raw = totalMs / maxTicks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 5, 10]) {
    if (factor * magnitude >= raw) return factor * magnitude;
  }
  return 10 * magnitude;
}

/** Ticks at multiples of a nice step from 0 to `totalMs`; just [0] for an empty axis. */
export function axisTicks(totalMs: number, maxTicks = 4): AxisTick[] {
  const step = tickStep(totalMs, maxTicks);
  if (step === 0) return [{ ms: 0, pct: 0 }];
  const ticks: AxisTick[] = [];
  // Integer multiples, so 0.1 + 0.2 style drift cannot add or drop a tick.
  for (let i = 0; i * step <= totalMs * (1 + 1e-9); i += 1) {
    const ms = i * step;
    ticks.push({ ms, pct: Math.min(100, (ms / totalMs) * 100) });
  }
  return ticks;
}

interface Node {
  span: TraceSpanView;
  index: number;
  /** For ordering: the start, or +Infinity when unusable (such spans go last among siblings). */
  sortKey: number;
  parent: number | undefined;
  children: number[];
  orphan: boolean;
  cycle: boolean;
  duplicateId: boolean;
}

function byStart(nodes: readonly Node[]) {
  return (a: number, b: number): number => {
    const na = nodes[a]!;
    const nb = nodes[b]!;
    if (na.sortKey !== nb.sortKey) return na.sortKey < nb.sortKey ? -1 : 1;
    return na.index - nb.index;
  };
}

/**
 * Lays out `spans` (in any order) as waterfall rows. Never throws for odd
 * data: every span becomes exactly one row, and what is odd about it is
 * flagged on the row (orphan, cycle, duplicateId, invalidTiming, and the
 * flags of compareWithParent) instead.
 */
export function layoutWaterfall(spans: readonly TraceSpanView[], { maxTicks = 4 } = {}): WaterfallLayout {
  // The axis: earliest usable start to latest usable end, over all spans.
  // Ends are measured from the origin (start − origin is exact), not as
  // epoch sums, which would round at ~0.0002 ms around 1.7e12.
  let origin = Infinity;
  for (const span of spans) {
    if (finite(span.startUnixMs)) origin = Math.min(origin, span.startUnixMs);
  }
  if (origin === Infinity) origin = 0;
  let totalMs = 0;
  for (const span of spans) {
    if (!finite(span.startUnixMs)) continue;
    const duration = finite(span.durationMs) && span.durationMs > 0 ? span.durationMs : 0;
    totalMs = Math.max(totalMs, span.startUnixMs - origin + duration);
  }

  // The tree: parent links by the FIRST span with each id.
  const nodes: Node[] = spans.map((span, index) => ({
    span,
    index,
    sortKey: finite(span.startUnixMs) ? span.startUnixMs : Infinity,
    parent: undefined,
    children: [],
    orphan: false,
    cycle: false,
    duplicateId: false,
  }));
  const firstById = new Map<string, number>();
  for (const node of nodes) {
    if (firstById.has(node.span.spanId)) node.duplicateId = true;
    else firstById.set(node.span.spanId, node.index);
  }
  const roots: number[] = [];
  for (const node of nodes) {
    const parentId = node.span.parentSpanId;
    if (parentId === null || parentId === undefined || parentId === '') {
      roots.push(node.index);
      continue;
    }
    const parent = firstById.get(parentId);
    if (parent === undefined) {
      node.orphan = true;
      roots.push(node.index);
    } else if (parent === node.index) {
      // Its own parent: a loop of one.
      node.cycle = true;
      roots.push(node.index);
    } else {
      node.parent = parent;
      nodes[parent]!.children.push(node.index);
    }
  }
  const compare = byStart(nodes);
  roots.sort(compare);
  for (const node of nodes) node.children.sort(compare);

  // Depth-first, iteratively (no recursion limit on deep traces); `visited`
  // guarantees each span is emitted once even if parent links loop.
  const order: { index: number; depth: number }[] = [];
  const visited = new Set<number>();
  /** Rows drawn directly under each span. */
  const drawnChildren = new Map<number, number>();
  const walk = (root: number): void => {
    const stack: { index: number; depth: number; from?: number }[] = [{ index: root, depth: 0 }];
    while (stack.length > 0) {
      const { index, depth, from } = stack.pop()!;
      if (visited.has(index)) continue;
      visited.add(index);
      order.push({ index, depth });
      if (from !== undefined) drawnChildren.set(from, (drawnChildren.get(from) ?? 0) + 1);
      const { children } = nodes[index]!;
      for (let i = children.length - 1; i >= 0; i -= 1) {
        stack.push({ index: children[i]!, depth: depth + 1, from: index });
      }
    }
  };
  for (const root of roots) walk(root);

  // Spans not reached from any root hang off a loop of parent links (A → B → A).
  // Walk up from the earliest of them until a span repeats: that span is on the
  // loop; cut the loop there and draw it as a root.
  if (visited.size < nodes.length) {
    const leftovers = nodes
      .map((node) => node.index)
      .filter((index) => !visited.has(index))
      .sort(compare);
    for (const start of leftovers) {
      if (visited.has(start)) continue;
      const seen = new Set<number>();
      let current = start;
      while (!seen.has(current)) {
        seen.add(current);
        const parent = nodes[current]!.parent;
        // Cannot happen (an unreached span always has a parent), but never loop on it.
        if (parent === undefined) break;
        current = parent;
      }
      nodes[current]!.cycle = true;
      walk(current);
    }
  }

  const colours = serviceColourIndexes(spans.map((span) => span.service));
  const rows: WaterfallRow[] = order.map(({ index, depth }) => {
    const node = nodes[index]!;
    const { span } = node;
    const usableStart = finite(span.startUnixMs);
    const usableDuration = finite(span.durationMs) && span.durationMs >= 0;
    const durationMs = usableDuration ? span.durationMs : 0;
    const startMs = usableStart ? span.startUnixMs - origin : 0;

    let widthPct = totalMs > 0 ? (durationMs / totalMs) * 100 : 0;
    widthPct = Math.min(100, Math.max(MIN_WIDTH_PCT, widthPct));
    let offsetPct = totalMs > 0 ? (startMs / totalMs) * 100 : 0;
    offsetPct = Math.min(100 - widthPct, Math.max(0, offsetPct));

    const parent = node.cycle ? undefined : node.parent;
    const timing =
      parent === undefined
        ? { startsBeforeParent: false, endsAfterParent: false, clockSkew: false }
        : compareWithParent(span, nodes[parent]!.span);

    return {
      span,
      depth,
      startMs,
      durationMs,
      offsetPct,
      widthPct,
      serviceIndex: colours.get(span.service) ?? 0,
      isError: span.status?.code === 'error',
      orphan: node.orphan,
      cycle: node.cycle,
      duplicateId: node.duplicateId,
      invalidTiming: !usableStart || !usableDuration,
      ...timing,
      childCount: drawnChildren.get(index) ?? 0,
    };
  });

  const services = new Map<string, ServiceLegendEntry>();
  for (const row of rows) {
    const entry = services.get(row.span.service) ?? {
      service: row.span.service,
      serviceIndex: row.serviceIndex,
      spanCount: 0,
      errorCount: 0,
    };
    entry.spanCount += 1;
    if (row.isError) entry.errorCount += 1;
    services.set(row.span.service, entry);
  }

  return {
    rows,
    originUnixMs: origin,
    totalMs,
    ticks: axisTicks(totalMs, maxTicks),
    services: [...services.values()],
    errorCount: rows.filter((row) => row.isError).length,
  };
}
