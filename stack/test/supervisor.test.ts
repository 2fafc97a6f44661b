import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RESTART_ON_FAILURE, Supervisor, type ProcessSpec } from '../src/supervisor.ts';

const FIXTURE = new URL('./fixtures/health-server.mjs', import.meta.url).pathname;
const FAST = { ...RESTART_ON_FAILURE, firstBackoffMs: 50, maxBackoffMs: 200, maxQuickFailures: 3 };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function spec(name: string, overrides: Partial<ProcessSpec> = {}): Promise<ProcessSpec> {
  const port = await freePort();
  return {
    name,
    program: process.execPath,
    args: [FIXTURE, String(port)],
    cwd: tmpdir(),
    env: {},
    healthUrl: `http://127.0.0.1:${port}/healthz`,
    ports: { [name]: port },
    traced: false,
    dependsOn: [],
    restart: FAST,
    ...overrides,
  };
}

/**
 * Proving that something did NOT happen needs a wait: longer than the
 * policy's longest backoff, after which a restart would have been spawned.
 */
const longerThanARestart = () => new Promise((r) => setTimeout(r, FAST.maxBackoffMs + 100));

let supervisor: Supervisor | undefined;
let lines: string[] = [];
afterEach(async () => {
  await supervisor?.stopAll();
  supervisor = undefined;
  lines = [];
});

function make(specs: ProcessSpec[]): Supervisor {
  supervisor = new Supervisor(specs, { log: (line) => lines.push(line), startTimeoutMs: 10_000 });
  return supervisor;
}

const order = (s: Supervisor, type: string) => s.events.filter((e) => e.type === type).map((e) => e.name);

describe('Supervisor', () => {
  it('starts in dependency order and stops in reverse order', async () => {
    const s = make([
      await spec('a'),
      await spec('b', { dependsOn: ['a'] }),
      await spec('c', { dependsOn: ['b'] }),
    ]);
    await s.start();
    expect(order(s, 'healthy')).toEqual(['a', 'b', 'c']);
    await s.stopAll();
    expect(order(s, 'stopped')).toEqual(['c', 'b', 'a']);
    expect(s.output('a')).toContain('SIGTERM: closing');
  });

  it('restarts a killed process, logs the death and the recovery, and leaves the others alone', async () => {
    const s = make([await spec('collector'), await spec('api')]);
    await s.start();
    const apiPid = s.pid('api');
    const firstPid = s.pid('collector');
    s.kill('collector');
    await expect.poll(() => s.state('collector')).not.toBe('healthy');
    await s.waitHealthy('collector', 10_000);
    expect(s.pid('collector')).not.toBe(firstPid);
    expect(s.pid('api')).toBe(apiPid);
    expect(lines.some((l) => /collector died \(signal SIGKILL\); restarting it in/.test(l))).toBe(true);
    expect(lines.some((l) => /collector is healthy again, [\d.]+ s after it died/.test(l))).toBe(true);
    const healthy = s.events.filter((e) => e.type === 'healthy' && e.name === 'collector');
    expect(healthy.at(-1)).toMatchObject({ afterDeathMs: expect.any(Number) });
  });

  it('does not restart a process stopped on purpose', async () => {
    const s = make([await spec('jaeger')]);
    await s.start();
    const exit = await s.stop('jaeger');
    expect(exit.code).toBe(0);
    await longerThanARestart();
    expect(s.isRunning('jaeger')).toBe(false);
    expect(s.state('jaeger')).toBe('stopped');
    expect(lines).toEqual([]);
  });

  it('gives up after a bounded number of quick failures, with one sentence, and the others keep running', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'supervisor-')), 'ran');
    const s = make([await spec('flaky', { env: { FAIL_AFTER_FIRST_RUN: marker } }), await spec('web')]);
    await s.start();
    s.kill('flaky');
    await expect.poll(() => s.state('flaky'), { timeout: 10_000 }).toBe('failed');
    expect(s.events.filter((e) => e.name === 'flaky' && e.type === 'died')).toHaveLength(
      FAST.maxQuickFailures + 1,
    );
    const gaveUp = lines.filter((l) =>
      /flaky failed \d+ times in a row \(last: exit code 3\); it is not restarted again/.test(l),
    );
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]).toContain('cannot start again');
    expect(s.isRunning('web')).toBe(true);
    await expect(s.waitHealthy('flaky', 1000)).rejects.toThrow(/failed, not coming back/);
  });

  it('rejects a first start that exits, naming the process and quoting its output, without restarting it', async () => {
    const s = make([await spec('api', { env: { EXIT_AT_ONCE: '1' } })]);
    await expect(s.start()).rejects.toThrow(
      /api exited \(exit code 2\) before .* answered:\n\s+broken configuration/,
    );
    await longerThanARestart();
    expect(s.events.filter((e) => e.type === 'started')).toHaveLength(1);
    // start() stopped what it had started; nothing restarts the failed one.
    expect(s.state('api')).toBe('stopped');
  });

  it('rejects unknown processes and dependencies', async () => {
    const orphan = await spec('b', { dependsOn: ['a'] });
    expect(() => make([orphan])).toThrow(/b depends on a/);
    const s = make([await spec('a')]);
    expect(() => s.pid('a')).toThrow(/a is not running/);
    expect(() => s.kill('nope')).toThrow(/nope is not a process of this stack/);
  });
});
