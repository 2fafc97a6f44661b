#!/usr/bin/env node
// The two commands of the README, on a machine with only Node.js and Go:
//   npm start  → install the workspace, build the Collector and Jaeger if
//                needed, then run the stack (stack/src/start.ts).
//   npm test   → the same setup, then typecheck, lint, format check, the
//                one-API-copy check, unit tests and the Playwright end-to-end
//                tests against the real stack in a real Chromium.
//   install    → only the workspace install (docker/compose.mjs, before the
//                tests against the containers).
// Zero dependencies on purpose: nothing is installed yet when this runs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MIN_NODE = [20, 19];
// The same default as stack/src/chromium.ts (this file runs before anything is installed).
const DEFAULT_CHROMIUM = '/usr/bin/chromium';

// Playwright must drive Debian's chromium; never download a browser.
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
// corepack fetches the pinned pnpm from the npm registry without asking.
process.env.COREPACK_ENABLE_DOWNLOAD_PROMPT = '0';

class StepError extends Error {}

function say(message) {
  console.log(`\n▶ ${message}`);
}

function fail(sentence) {
  console.error(`\n✖ ${sentence}\n`);
  process.exit(1);
}

/** Runs a command with inherited output; resolves with its exit code. */
function run(command, args, { env = process.env, capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env,
      stdio: capture ? ['inherit', 'inherit', 'pipe'] : 'inherit',
    });
    let stderr = '';
    if (capture) {
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        process.stderr.write(chunk);
      });
    }
    // Ctrl-C reaches the child through the terminal's process group; we wait
    // for it to stop everything instead of exiting first. A SIGINT or SIGTERM
    // sent to us alone is passed on so nothing is left behind.
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (error) => reject(new StepError(`could not run ${command}: ${error.message}`)));
    child.on('close', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve({ code: code ?? (signal ? 128 : 1), stderr });
    });
  });
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
    fail(`Node.js ${MIN_NODE.join('.')} or newer is needed (Vite 8), found ${process.versions.node}.`);
  }
}

async function install() {
  say('Installing the workspace with pnpm (through corepack)…');
  const args = ['pnpm', 'install', '--frozen-lockfile'];
  let result = await run('corepack', args, { capture: true });
  if (result.code !== 0 && /signature/i.test(result.stderr)) {
    // Some registry mirrors do not serve npm's signing keys; corepack then
    // refuses to fetch pnpm at all. The lockfile still pins every package hash.
    console.log('corepack could not verify pnpm against npm signing keys here; retrying without that check.');
    process.env.COREPACK_INTEGRITY_KEYS = '0';
    result = await run('corepack', args);
  }
  if (result.code !== 0) fail('Installing the workspace failed; the pnpm output above says why.');
}

async function buildGoPrograms() {
  say('Building the OpenTelemetry Collector and Jaeger from their Go modules (skipped when up to date)…');
  const { code } = await run(process.execPath, ['collector/build.mjs']);
  if (code !== 0) process.exit(code);
}

function checkChromium() {
  const path = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  if (!existsSync(path)) {
    fail(
      `Chromium not found at ${path}: install Debian's package (\`sudo apt-get install -y chromium\`) or set CHROMIUM_PATH to a Chromium or Chrome binary.`,
    );
  }
}

const TEST_STEPS = [
  ['Typecheck (tsc -b)', 'typecheck'],
  ['Lint (ESLint)', 'lint'],
  ['Format check (Prettier)', 'format:check'],
  ['One copy of @opentelemetry/api', 'check:otel'],
  ['Unit tests (Vitest)', 'test:unit'],
  ['End-to-end tests (Playwright, real Chromium, real stack)', 'test:e2e'],
];

async function test() {
  checkChromium();
  const timings = [];
  for (const [title, script] of TEST_STEPS) {
    say(title);
    const started = Date.now();
    const { code } = await run('corepack', ['pnpm', '--silent', 'run', script]);
    timings.push(`${title}: ${((Date.now() - started) / 1000).toFixed(1)}s`);
    if (code !== 0) fail(`${title} failed; its output is above.`);
  }
  console.log(`\n✔ All checks passed.\n  ${timings.join('\n  ')}`);
}

async function main() {
  const command = process.argv[2];
  if (command !== 'start' && command !== 'test' && command !== 'install')
    fail('Usage: node stack/bootstrap.mjs start|test|install');
  const started = Date.now();
  checkNode();
  await install();
  if (command === 'install') return;
  await buildGoPrograms();
  console.log(`\nSetup done in ${((Date.now() - started) / 1000).toFixed(1)}s.`);
  if (command === 'test') return test();
  say('Starting Jaeger, the Collector, the API and the web app…');
  // Straight to node (not through `pnpm run`): one process less between
  // Ctrl-C and the launcher, and about 100 MB less memory.
  const { code } = await run(process.execPath, ['--import', 'tsx', 'stack/src/start.ts']);
  process.exit(code);
}

main().catch((error) => fail(error instanceof StepError ? error.message : String(error?.stack ?? error)));
