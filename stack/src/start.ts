/**
 * `npm start` (after stack/bootstrap.mjs installed and built everything):
 * starts Jaeger, the Collector, the API and the web app in dependency order,
 * waits for each one's health URL, prefixes every log line with the process
 * name, prints the URLs, and on Ctrl-C or SIGTERM stops every child.
 *
 * concurrently runs and prefixes the processes and kills them all when one
 * exits; wait-on waits for the health URLs.
 */
import { resolve } from 'node:path';
import concurrently from 'concurrently';
import waitOn from 'wait-on';
import { loadStackConfig, StackConfigError, type StackConfig } from './config.ts';
import { busyPorts } from './ports.ts';
import { missingBinaries, REPO_ROOT, stackProcesses, type WebMode } from './processes.ts';

const READY_TIMEOUT_MS = 60_000;

function fail(sentence: string): never {
  console.error(`\n✖ ${sentence}\n`);
  process.exit(1);
}

/** wait-on uses HEAD for http://; http-get:// asks with GET like a browser. */
const asGet = (url: string) => url.replace(/^http:/, 'http-get:');

function banner(config: StackConfig, seconds: string): string {
  return [
    '',
    `✔ The stack is up in ${seconds}s:`,
    `  web app          ${config.web.url}   (also http://localhost:${config.web.port})`,
    `  API              ${config.api.url}   (calls the inventory at ${config.inventory.url})`,
    `  logs             every line on this terminal; also ${resolve(REPO_ROOT, config.logDir)}/<service>.log`,
    `  Jaeger           ${config.jaeger.uiUrl}   (API: ${config.jaeger.uiUrl}/api/v3/services)`,
    `  Collector        OTLP/gRPC ${config.collector.grpcEndpoint}, OTLP/HTTP ${config.collector.httpTracesUrl}`,
    '  Press Ctrl-C to stop everything.',
    '',
  ].join('\n');
}

async function main() {
  const started = Date.now();
  let config: StackConfig;
  try {
    config = loadStackConfig();
  } catch (error) {
    if (error instanceof StackConfigError) fail(error.message);
    throw error;
  }
  const missing = missingBinaries();
  if (missing.length > 0)
    fail(
      `${missing.join(' and ')} not built yet: run \`npm start\` (it builds them) or \`npm run build:collector\`.`,
    );

  const webMode: WebMode = process.env.WEB_MODE === 'preview' ? 'preview' : 'dev';
  const processes = stackProcesses(config, { webMode });
  for (const proc of processes) {
    const busy = await busyPorts(config.bindHost, proc.ports);
    if (busy.length > 0) {
      const [purpose, port] = busy[0]!;
      fail(
        `Port ${port} on ${config.bindHost} (${purpose}) is already in use: stop what uses it (is the stack already running?) or change its variable (see README).`,
      );
    }
  }

  // Dependency order: each process starts once the one before it is healthy.
  const { result } = concurrently(
    processes.map((proc, index) => {
      const previous = processes[index - 1];
      const waitForPrevious = previous
        ? // Unquoted first word: concurrently strips quotes that wrap a whole command.
          `${process.execPath} ${waitOnCli()} --timeout ${READY_TIMEOUT_MS} ${asGet(previous.healthUrl)} && `
        : '';
      return { name: proc.name, command: `${waitForPrevious}${proc.command}`, cwd: proc.cwd, env: proc.env };
    }),
    {
      prefix: 'name',
      prefixColors: ['magenta', 'yellow', 'cyan', 'green'],
      killOthersOn: ['failure', 'success'],
      killSignal: 'SIGTERM',
    },
  );

  const ready = waitOn({
    resources: processes.map((proc) => asGet(proc.healthUrl)),
    timeout: READY_TIMEOUT_MS,
  })
    .then(() => console.log(banner(config, ((Date.now() - started) / 1000).toFixed(1))))
    .catch(() =>
      console.error(
        `\n✖ The stack did not become healthy within ${READY_TIMEOUT_MS / 1000}s; see the logs above.\n`,
      ),
    );

  try {
    await result;
  } catch (events) {
    // Ctrl-C/SIGTERM ends the children with a signal; that is a normal stop.
    const failed = (events as { exitCode: number | string; command: { name: string } }[]).filter(
      (event) => event.exitCode !== 0 && event.exitCode !== 'SIGTERM' && event.exitCode !== 'SIGINT',
    );
    if (failed.length > 0 && !stopping) {
      await ready;
      fail(
        `${failed[0]!.command.name} exited (code ${failed[0]!.exitCode}); everything was stopped. Its log lines are above.`,
      );
    }
  }
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => (stopping = true));

function waitOnCli(): string {
  return new URL('../node_modules/wait-on/bin/wait-on', import.meta.url).pathname;
}

await main();
