/**
 * Playwright's stack for the `traces` project: the same processes as
 * `npm start` (stack/src/processes.ts) through the same supervisor, the web
 * app in preview mode (its production build). Reused when every process
 * already answers (e.g. `npm start` in another terminal), except on CI.
 * Each process's output goes to <LOG_DIR>/playwright-stack/<name>.log; the
 * supervisor's own lines (a death, a restart) go to the terminal.
 *
 * With E2E_STACK=compose (`npm run test:compose`) the stack is the containers
 * docker/compose.mjs started: this only checks that they answer on the
 * configured ports, and never starts anything.
 */
import { join, resolve } from 'node:path';
import { HEALTH_PATH, loadStackConfig } from '@tracing-demo/stack';
import { busyPorts } from '@tracing-demo/stack/ports';
import { REPO_ROOT, stackProcesses } from '@tracing-demo/stack/processes';
import { isHealthy, outputToFiles, Supervisor } from '@tracing-demo/stack/supervisor';
import { isComposeStack } from './compose-stack.ts';

/** The compose stack's published URLs (the others stay on the compose network); throws if one does not answer. */
async function checkComposeStack(config: ReturnType<typeof loadStackConfig>): Promise<void> {
  const published = {
    web: config.web.url,
    api: `${config.api.url}${HEALTH_PATH}`,
    'Jaeger query API': `${config.jaeger.uiUrl}/api/v3/services`,
  };
  for (const [name, healthUrl] of Object.entries(published)) {
    if (!(await isHealthy(healthUrl))) {
      throw new Error(
        `E2E_STACK=compose, but the ${name} container does not answer at ${healthUrl}: start the stack with \`npm run compose:up\` (with the same port variables).`,
      );
    }
  }
  console.log('Testing the compose stack (E2E_STACK=compose): every published service answers.');
}

export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  const config = loadStackConfig();
  if (isComposeStack) {
    await checkComposeStack(config);
    return undefined;
  }
  const processes = stackProcesses(config, { webMode: 'preview' });
  if (
    !process.env.CI &&
    (await Promise.all(processes.map((proc) => isHealthy(proc.healthUrl)))).every(Boolean)
  ) {
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
  const supervisor = new Supervisor(processes, {
    onOutput: outputToFiles(logDir, { truncate: true }),
    log: (line) => console.error(`[stack] ${line}`),
  });
  const started = performance.now();
  await supervisor.start();
  console.log(`Stack healthy in ${((performance.now() - started) / 1000).toFixed(1)} s (logs in ${logDir}).`);
  return () => supervisor.stopAll();
}
