#!/usr/bin/env node
// Builds the two Go programs the native stack runs, from their official Go
// modules: the OpenTelemetry Collector (through the Collector Builder and
// builder-config.yaml) and Jaeger v2 (through the wrapper module in jaeger/).
// Binaries land in collector/bin (git-ignored). A build is skipped when the
// pinned versions (the manifest, go.mod/go.sum, the Go version) have not
// changed. Go's module and build caches stay in their default places, so a
// rebuild after a version bump only compiles what changed.
//
// Zero dependencies on purpose: this runs before `pnpm install` on a fresh machine.
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, 'bin');
const WORK = join(HERE, '.build');
const MANIFEST = join(HERE, 'builder-config.yaml');
const MIN_GO = [1, 26];

// The module proxy serving this project may lack checksum-database entries for
// some OpenTelemetry modules. Jaeger's hashes are pinned by the committed
// jaeger/go.sum; the Collector Builder resolves its own go.sum from the proxy.
const NO_SUMDB = 'go.opentelemetry.io/collector,github.com/open-telemetry/opentelemetry-collector-contrib';

class BuildError extends Error {}

function log(message) {
  console.log(`[build] ${message}`);
}

function goVersion() {
  let out;
  try {
    out = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  } catch {
    throw new BuildError(
      'Go is not installed or not on PATH: install Go 1.26 or newer (https://go.dev/doc/install) and run this again.',
    );
  }
  const [major, minor] = out.replace(/^go/, '').split('.').map(Number);
  if (major < MIN_GO[0] || (major === MIN_GO[0] && minor < MIN_GO[1])) {
    throw new BuildError(`Go ${MIN_GO.join('.')} or newer is needed to build the Collector, found ${out}.`);
  }
  return out;
}

/** The Collector Builder's version is the core version of the manifest's components. */
function builderVersion() {
  const match = readFileSync(MANIFEST, 'utf8').match(
    /go\.opentelemetry\.io\/collector\/receiver\/otlpreceiver (v[\d.]+)/,
  );
  if (!match)
    throw new BuildError(
      'collector/builder-config.yaml must pin go.opentelemetry.io/collector/receiver/otlpreceiver.',
    );
  return match[1];
}

function fingerprint(files, go) {
  const hash = createHash('sha256').update(go);
  for (const file of files) hash.update(readFileSync(file));
  return hash.digest('hex');
}

function upToDate(binary, stamp) {
  const stampFile = `${binary}.stamp`;
  return existsSync(binary) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp;
}

/**
 * Runs a command, printing a progress line every 15 s (Go is silent while it
 * compiles for minutes). With `-v`, go prints one line per package it
 * compiles: we count them instead of flooding the terminal.
 */
function run(label, command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let packages = 0;
    let tail = '';
    const child = spawn(command, args, {
      ...options,
      env: { ...process.env, GONOSUMDB: process.env.GONOSUMDB ?? NO_SUMDB, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk) => {
      const text = chunk.toString();
      packages += text.split('\n').filter((line) => line && !line.startsWith('go: ')).length;
      tail = (tail + text).slice(-4000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const ticker = setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      log(`${label}: still working, ${seconds}s elapsed, ${packages} packages so far…`);
    }, 15_000);
    child.on('error', (error) => {
      clearInterval(ticker);
      reject(new BuildError(`${label}: could not run ${command}: ${error.message}`));
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      if (code === 0) resolve();
      else {
        console.error(tail);
        reject(new BuildError(`${label} failed (exit ${code}); the last lines of its output are above.`));
      }
    });
  });
}

async function buildCollector(go) {
  const binary = join(BIN, 'otelcol-tracing-demo');
  const stamp = fingerprint([MANIFEST], go);
  if (upToDate(binary, stamp)) return log('Collector is up to date (collector/bin/otelcol-tracing-demo).');
  const version = builderVersion();
  const started = Date.now();
  log(`Collector: installing the Collector Builder ${version}…`);
  const tools = join(WORK, 'tools');
  await run(
    'Collector Builder install',
    'go',
    ['install', `go.opentelemetry.io/collector/cmd/builder@${version}`],
    {
      env: { GOBIN: tools },
    },
  );
  log('Collector: generating sources and resolving modules (first time: about a minute)…');
  mkdirSync(join(WORK, 'otelcol'), { recursive: true });
  await run('Collector Builder', join(tools, 'builder'), ['--config', MANIFEST, '--skip-compilation'], {
    cwd: HERE,
  });
  log('Collector: compiling (first time: 3-5 minutes on 2 cores)…');
  await run('Collector compile', 'go', ['build', '-v', '-trimpath', '-ldflags=-s -w', '-o', binary, '.'], {
    cwd: join(WORK, 'otelcol'),
  });
  writeFileSync(`${binary}.stamp`, stamp);
  log(`Collector built in ${((Date.now() - started) / 1000).toFixed(0)}s.`);
}

async function buildJaeger(go) {
  const binary = join(BIN, 'jaeger');
  const moduleDir = join(HERE, 'jaeger');
  const stamp = fingerprint([join(moduleDir, 'go.mod'), join(moduleDir, 'go.sum')], go);
  if (upToDate(binary, stamp)) return log('Jaeger is up to date (collector/bin/jaeger).');
  const started = Date.now();
  log(
    'Jaeger: compiling about 2,000 packages (first time: 8-15 minutes on 2 cores; later builds reuse the Go cache)…',
  );
  await run(
    'Jaeger compile',
    'go',
    [
      'build',
      '-v',
      '-trimpath',
      '-ldflags=-s -w',
      '-o',
      binary,
      'github.com/jaegertracing/jaeger/cmd/jaeger',
    ],
    {
      cwd: moduleDir,
    },
  );
  writeFileSync(`${binary}.stamp`, stamp);
  log(`Jaeger built in ${((Date.now() - started) / 1000).toFixed(0)}s.`);
}

async function main() {
  const started = Date.now();
  const go = goVersion();
  mkdirSync(BIN, { recursive: true });
  // One after the other: each build already uses both cores, and together
  // they would need over 3 GB of memory at the peak.
  await buildCollector(go);
  await buildJaeger(go);
  log(`Collector and Jaeger ready in ${((Date.now() - started) / 1000).toFixed(1)}s.`);
}

main().catch((error) => {
  console.error(error instanceof BuildError ? `[build] ${error.message}` : error);
  process.exit(1);
});
