/**
 * `npm start` (after stack/bootstrap.mjs installed and built everything):
 * starts Jaeger, the Collector, the inventory, the API and the web app through
 * the supervisor (supervisor.ts) in dependency order, prefixes every log line
 * with the process name, prints the URLs, restarts whatever dies on its own,
 * and on Ctrl-C or SIGTERM stops everything in reverse order.
 */
import { resolve } from 'node:path';
import { styleText } from 'node:util';
import { loadStackConfig, StackConfigError, type StackConfig } from './config.ts';
import { busyPorts } from './ports.ts';
import { missingBinaries, REPO_ROOT, stackProcesses, type WebMode } from './processes.ts';
import { Supervisor, SupervisorError } from './supervisor.ts';

const COLORS = ['magenta', 'yellow', 'cyan', 'green', 'blue'] as const;

function fail(sentence: string): never {
  console.error(`\n✖ ${sentence}\n`);
  process.exit(1);
}

function banner(config: StackConfig, seconds: string): string {
  return [
    '',
    `✔ The stack is up in ${seconds}s:`,
    `  web app          ${config.web.url}   (also http://localhost:${config.web.port})`,
    `  API              ${config.api.url}   (calls the inventory at ${config.inventory.url})`,
    `  logs             every line on this terminal; also ${resolve(REPO_ROOT, config.logDir)}/<service>.log`,
    `  Jaeger           ${config.jaeger.uiUrl}   (API: ${config.jaeger.uiUrl}/api/v3/services)`,
    `  Collector        OTLP/gRPC ${config.collector.grpcEndpoint}, OTLP/HTTP ${config.collector.httpTracesUrl}`,
    '  A process that dies is restarted; the others keep running. Press Ctrl-C to stop everything.',
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
        `Port ${port} on ${config.bindHost} (${purpose}) is already in use: stop what uses it (is the stack already running?) or change its variable (see docs/configuration.md).`,
      );
    }
  }

  const width = Math.max(...processes.map((proc) => proc.name.length));
  const prefixes = new Map<string, string>(
    processes.map((proc, i) => [
      proc.name,
      styleText(COLORS[i % COLORS.length]!, `${proc.name.padEnd(width)} |`),
    ]),
  );
  const supervisor = new Supervisor(processes, {
    onOutput: (name, line) => console.log(`${prefixes.get(name)} ${line}`),
    log: (line) => console.error(`${styleText('bold', 'supervisor')} ${line}`),
  });

  let stopping: Promise<void> | undefined;
  const stop = (exitCode: number) => {
    stopping ??= supervisor.stopAll().then(() => process.exit(exitCode));
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping the web app, the API, the inventory, the Collector, then Jaeger…`);
      void stop(0);
    });
  }

  try {
    await supervisor.start();
  } catch (error) {
    if (stopping) return;
    const message = error instanceof SupervisorError ? error.message : String(error);
    console.error(`\n✖ The stack did not start: ${message}\n`);
    await stop(1);
    return;
  }
  console.log(banner(config, ((Date.now() - started) / 1000).toFixed(1)));
}

await main();
