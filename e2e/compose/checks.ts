/**
 * Checks of the running compose stack, as functions from what `docker compose`
 * and the kernel report to a list of problems (empty when all is well), so
 * compose.spec.ts runs each on the real containers AND on input it must reject.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeModel, dockerCompose } from '../compose-stack.ts';

/** One line of `docker compose ps --format json`, the fields read here. */
export interface PsRow {
  Service: string;
  ID: string;
  State: string;
  /** "healthy", "unhealthy", "starting", or "" for a service without health check. */
  Health: string;
  Publishers: { URL: string; TargetPort: number; PublishedPort: number; Protocol: string }[] | null;
}

/** `docker compose ps --all --format json`: one JSON object per line (older Compose: one array). */
export function parsePs(text: string): PsRow[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as PsRow[];
  return trimmed.split('\n').map((line) => JSON.parse(line) as PsRow);
}

export function composePs(): PsRow[] {
  return parsePs(dockerCompose(['ps', '--all', '--format', 'json']));
}

/** Every long-running service compose runs here (those of the active profiles too), and those with a health check. */
export function composeServices(): { all: string[]; withHealthcheck: Set<string> } {
  const defined = composeModel().services as Record<string, { healthcheck?: unknown }>;
  return {
    all: Object.keys(defined),
    withHealthcheck: new Set(Object.keys(defined).filter((name) => defined[name]!.healthcheck)),
  };
}

/**
 * Every service runs, and is healthy where it has a health check (the
 * Collectors have none: collector-health and gateway-health check them); none is missing.
 */
export function healthProblems(
  rows: readonly PsRow[],
  services: readonly string[],
  withHealthcheck: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  for (const service of services) {
    const row = rows.find((r) => r.Service === service);
    if (!row) problems.push(`${service}: no container`);
    else if (row.State !== 'running') problems.push(`${service}: ${row.State}, not running`);
    else if (withHealthcheck.has(service) && row.Health !== 'healthy')
      problems.push(`${service}: ${row.Health || 'no health status'}, not healthy`);
  }
  return problems;
}

/** A process of a container, from `docker top`. */
export interface ContainerProcess {
  service: string;
  uid: number;
  command: string;
}

/**
 * Every process of every running container, with its numeric user id as the
 * kernel has it (`docker top` runs ps on the host; `docker compose top`
 * would print the host's names for those ids).
 */
export function containerProcesses(rows: readonly PsRow[]): ContainerProcess[] {
  return rows
    .filter((row) => row.State === 'running')
    .flatMap((row) => parseTop(row.Service, execDocker(['top', row.ID, '-o', 'uid,pid,args'])));
}

/** `ps -o uid,pid,args` output (a header line, then "UID PID COMMAND…" lines). */
export function parseTop(service: string, text: string): ContainerProcess[] {
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [uid = '', , ...command] = line.trim().split(/\s+/);
      return { service, uid: Number(uid), command: command.join(' ') };
    });
}

/** Processes that run as root (uid 0), or whose user could not be read as a number. */
export function rootProcesses(processes: readonly ContainerProcess[]): string[] {
  return processes
    .filter((p) => !Number.isInteger(p.uid) || p.uid === 0)
    .map((p) => `${p.service}: "${p.command}" runs as ${Number.isNaN(p.uid) ? 'an unknown user' : 'root'}`);
}

/**
 * What the containers publish on this host: only the expected service ports,
 * each only on `bindHost` (published port 0 is an exposed, unpublished port).
 */
export function publishProblems(
  rows: readonly PsRow[],
  bindHost: string,
  expected: Readonly<Record<string, number>>,
): string[] {
  const problems: string[] = [];
  for (const row of rows) {
    for (const port of row.Publishers ?? []) {
      if (port.PublishedPort === 0) continue;
      const where = `${row.Service} publishes ${port.URL || '(every address)'}:${port.PublishedPort}->${port.TargetPort}/${port.Protocol}`;
      if (port.URL !== bindHost) problems.push(`${where}: only ${bindHost} is allowed`);
      if (expected[row.Service] !== port.PublishedPort)
        problems.push(`${where}: not one of the browser-facing ports ${JSON.stringify(expected)}`);
    }
  }
  for (const [service, port] of Object.entries(expected)) {
    const row = rows.find((r) => r.Service === service);
    if (!row?.Publishers?.some((p) => p.PublishedPort === port))
      problems.push(`${service} does not publish ${port}`);
  }
  return problems;
}

/** Security headers that differ from those expected (names compared case-insensitively, as HTTP does). */
export function headerProblems(expected: Readonly<Record<string, string>>, actual: Headers): string[] {
  return Object.entries(expected).flatMap(([name, value]) => {
    const got = actual.get(name);
    if (got === null) return [`${name} is missing (expected "${value}")`];
    return got === value ? [] : [`${name} is "${got}", expected "${value}"`];
  });
}

/** A container's memory as its cgroup reports it (bytes). */
export interface ContainerMemory {
  service: string;
  /** The limit the kernel enforces. */
  limit: number;
  /** The highest usage (anonymous memory and page cache) since the container started. */
  peak: number;
  /** Anonymous memory now (what `ps` would call RSS, summed over the container). */
  rss: number;
  /** How often usage reached the limit, so the kernel had to reclaim (cgroup v1 failcnt / v2 max events). */
  atLimit: number;
}

/** One line per container: anonymous memory (RSS), peak and limit, in MB. */
export function memoryReport(memory: readonly ContainerMemory[]): string {
  const MB = 1024 * 1024;
  return memory
    .map(
      (m) =>
        `${m.service} ${(m.rss / MB).toFixed(0)} MB RSS, peak ${(m.peak / MB).toFixed(0)} / ${(m.limit / MB).toFixed(0)} MB`,
    )
    .join('; ');
}

function readNumber(file: string): number {
  return Number(readFileSync(file, 'utf8').trim());
}

function statField(file: string, field: string): number {
  const match = new RegExp(`^${field} (\\d+)$`, 'm').exec(readFileSync(file, 'utf8'));
  return match ? Number(match[1]) : Number.NaN;
}

/** The cgroup of a container (cgroup v1 or v2, cgroupfs or systemd driver), read on this host. */
export function containerMemory(service: string, containerId: string): ContainerMemory {
  const v1 = `/sys/fs/cgroup/memory/docker/${containerId}`;
  if (existsSync(v1)) {
    return {
      service,
      limit: readNumber(join(v1, 'memory.limit_in_bytes')),
      peak: readNumber(join(v1, 'memory.max_usage_in_bytes')),
      rss: statField(join(v1, 'memory.stat'), 'rss'),
      atLimit: readNumber(join(v1, 'memory.failcnt')),
    };
  }
  for (const v2 of [
    `/sys/fs/cgroup/system.slice/docker-${containerId}.scope`,
    `/sys/fs/cgroup/docker/${containerId}`,
  ]) {
    if (existsSync(v2)) {
      const peakFile = join(v2, 'memory.peak');
      return {
        service,
        limit: readNumber(join(v2, 'memory.max')),
        peak: existsSync(peakFile) ? readNumber(peakFile) : readNumber(join(v2, 'memory.current')),
        rss: statField(join(v2, 'memory.stat'), 'anon'),
        atLimit: statField(join(v2, 'memory.events'), 'max'),
      };
    }
  }
  throw new Error(`No memory cgroup found for the ${service} container (${containerId}).`);
}

/** The state Docker keeps of a container: restarts and whether the kernel killed it for memory. */
export interface ContainerState {
  service: string;
  restartCount: number;
  oomKilled: boolean;
}

/**
 * Containers without a memory limit, or that restarted or were killed for
 * memory. Reaching the limit is no problem by itself: the kernel then
 * reclaims page cache (Jaeger's Badger files), and kills only when it cannot.
 */
export function memoryProblems(
  memory: readonly ContainerMemory[],
  states: readonly ContainerState[],
): string[] {
  const problems: string[] = [];
  for (const m of memory) {
    if (!(m.limit > 0 && m.limit < 2 ** 50)) problems.push(`${m.service} has no memory limit`);
  }
  for (const s of states) {
    if (s.oomKilled) problems.push(`${s.service} was killed for running out of memory`);
    if (s.restartCount > 0) problems.push(`${s.service} restarted ${s.restartCount} times`);
  }
  return problems;
}

/** Restart count and OOM kill of each container (`docker inspect`). */
export function containerStates(rows: readonly PsRow[]): ContainerState[] {
  return rows.map((row) => {
    const [restarts = '', oom = ''] = dockerInspect(row.ID, '{{.RestartCount}} {{.State.OOMKilled}}').split(
      ' ',
    );
    return { service: row.Service, restartCount: Number(restarts), oomKilled: oom === 'true' };
  });
}

/** How a stopped container's main process ended (0: by itself; 137: killed). */
export function containerExitCode(id: string): number {
  return Number(dockerInspect(id, '{{.State.ExitCode}}'));
}

/** The full id of a container (cgroups are named by it). */
export function fullContainerId(id: string): string {
  return dockerInspect(id, '{{.Id}}');
}

function dockerInspect(id: string, format: string): string {
  return execDocker(['inspect', '--format', format, id]).trim();
}

function execDocker(args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', timeout: 30_000 });
}
