/**
 * The stack under test when `npm run test:compose` runs Playwright: the
 * containers of compose.yaml (docker/compose.mjs sets E2E_STACK=compose and
 * COMPOSE_FILE, and publishes them on the ports of stack/src/config.ts). The
 * specs reach the containers through those published ports, and ask `docker
 * compose` for what only it knows: a service's environment, its logs.
 */
import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from '@tracing-demo/stack/processes';

/** Whether the specs run against the compose stack instead of the native one. */
export const isComposeStack = process.env.E2E_STACK === 'compose';

/** `docker compose <args>` in the repository root; its standard output. */
export function dockerCompose(
  args: readonly string[],
  { timeout = 60_000, env = process.env }: { timeout?: number; env?: NodeJS.ProcessEnv } = {},
): string {
  return execFileSync('docker', ['compose', ...args], {
    cwd: REPO_ROOT,
    env,
    encoding: 'utf8',
    timeout,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

interface ComposeModel {
  services: Record<string, { environment?: Record<string, string | null> }>;
}

let model: ComposeModel | undefined;

/** compose.yaml as Compose runs it here (variables filled in): `docker compose config`. */
export function composeModel(): ComposeModel {
  model ??= JSON.parse(dockerCompose(['config', '--format', 'json'])) as ComposeModel;
  return model;
}

/** The environment Compose gives a service's container. */
export function composeEnvironment(service: string): Record<string, string> {
  const environment = composeModel().services[service]?.environment ?? {};
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, value ?? '']));
}

/** A service's log lines, as `docker compose logs` shows them (the containers log to stdout). */
export function composeLogLines(service: string): string[] {
  return dockerCompose(['logs', '--no-color', '--no-log-prefix', service]).split('\n');
}
