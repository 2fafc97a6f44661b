/**
 * Playwright's stack for the `traces` project: the same processes as
 * `npm start` (stack/src/processes.ts) through the same supervisor, the web
 * app in preview mode (its production build). Reused when every process
 * already answers (e.g. `npm start` in another terminal), except on CI.
 * Each process's output goes to <LOG_DIR>/playwright-stack/<name>.log; the
 * supervisor's own lines (a death, a restart) go to the terminal.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadStackConfig } from '@tracing-demo/stack';
import { busyPorts } from '@tracing-demo/stack/ports';
import { REPO_ROOT, stackProcesses, type StackProcess } from '@tracing-demo/stack/processes';
import { Supervisor } from '@tracing-demo/stack/supervisor';

async function answers(proc: StackProcess): Promise<boolean> {
  try {
    const response = await fetch(proc.healthUrl, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  const config = loadStackConfig();
  const processes = stackProcesses(config, { webMode: 'preview' });
  if (!process.env.CI && (await Promise.all(processes.map(answers))).every(Boolean)) {
    console.log('Reusing the stack that is already running on the configured ports.');
    return undefined;
  }
  for (const proc of processes) {
    const busy = await busyPorts(config.bindHost, proc.ports);
    if (busy.length > 0) {
      const [purpose, port] = busy[0]!;
      throw new Error(
        `Port ${port} on ${config.bindHost} (${purpose}) is in use but the stack there does not answer every health URL: stop what uses it or move the stack with the port variables.`,
      );
    }
  }
  const logDir = join(resolve(REPO_ROOT, config.logDir), 'playwright-stack');
  mkdirSync(logDir, { recursive: true });
  for (const proc of processes) writeFileSync(join(logDir, `${proc.name}.log`), '');
  const supervisor = new Supervisor(processes, {
    onOutput: (name, line) => appendFileSync(join(logDir, `${name}.log`), `${line}\n`),
    log: (line) => console.error(`[stack] ${line}`),
  });
  const started = performance.now();
  await supervisor.start();
  console.log(`Stack healthy in ${((performance.now() - started) / 1000).toFixed(1)} s (logs in ${logDir}).`);
  return () => supervisor.stopAll();
}
