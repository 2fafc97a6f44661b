/**
 * (2) What tracing costs the page: the gzip size of the JavaScript the page
 * loads before it can run, of the JavaScript tracing loads after it (the
 * lazily imported SDK chunk), and the main thread's busy time during a page
 * load, for the same app built twice: as shipped, and with web/src/tracing.ts
 * (the small module that starts loading the SDK) replaced by a no-op stub
 * (bench/src/web-stub/tracing-off.ts), which leaves no SDK chunk at all.
 * Nothing in web/ changes: the stub is swapped in by a Vite plugin given to
 * the build.
 *
 * Main-thread time is Chromium's own accounting, read over CDP
 * (Performance.getMetrics, thread CPU time): TaskDuration (every main-thread
 * task) and ScriptDuration (JavaScript compile and run), from a fresh browser
 * context per load, after the page rendered its first button, the traced
 * build's SDK chunk ran, and the page went idle.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from '@playwright/test';
import { REPO_ROOT } from '@tracing-demo/stack/processes';
import { build, preview, type Plugin } from 'vite';
import { chromiumLaunchOptions } from '@tracing-demo/stack/chromium';
import type { BenchContext } from './context.ts';
import { log, reach } from './context.ts';

const WEB_DIR = `${REPO_ROOT}web`;
const STUB = fileURLToPath(new URL('./web-stub/tracing-off.ts', import.meta.url));

export function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions());
}

/** Resolves the app's `./tracing` import (from web/src only) to the no-op stub. */
function withoutTracing(): Plugin {
  const webSrc = join(WEB_DIR, 'src');
  let replaced = 0;
  return {
    name: 'bench-without-tracing',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === './tracing' && importer?.startsWith(webSrc)) {
        replaced += 1;
        return STUB;
      }
      return null;
    },
    buildEnd() {
      if (replaced === 0) this.error('no import of ./tracing was replaced: did web/src change?');
    },
  };
}

async function buildWeb(outDir: string, traced: boolean): Promise<void> {
  await build({
    configFile: join(WEB_DIR, 'vite.config.ts'),
    root: WEB_DIR,
    mode: 'production',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
    plugins: traced ? [] : [withoutTracing()],
  });
}

/** The scripts index.html makes the browser load before the app runs: script src and modulepreload. */
export function initialScripts(html: string): string[] {
  const urls = new Set<string>();
  for (const match of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) urls.add(match[1]!);
  for (const match of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g))
    urls.add(match[1]!);
  return [...urls].filter((url) => !/^[a-z]+:/i.test(url));
}

interface JsSize {
  /** Paths as index.html names them (`/assets/…`). */
  files: string[];
  rawKB: number;
  gzipKB: number;
}

/** Every JavaScript file the build emitted, as `/assets/…` paths (runtime-config.js from public/ too). */
function emittedScripts(outDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      else if (entry.name.endsWith('.js')) found.push(`${prefix}${entry.name}`);
    }
  };
  walk(outDir, '/');
  return found.sort();
}

function jsSize(outDir: string, files: readonly string[]): JsSize {
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const path = join(outDir, file.replace(/^\//, ''));
    const content = readFileSync(path);
    raw += statSync(path).size;
    gzip += gzipSync(content, { level: 9 }).length;
  }
  return { files: [...files], rawKB: raw / 1024, gzipKB: gzip / 1024 };
}

/** zone.js marks everything it patches with this prefix: it is in a bundle iff the tracing SDK is. */
const ZONE_MARK = '__zone_symbol__';

function containsZone(outDir: string, files: readonly string[]): string[] {
  return files.filter((file) =>
    readFileSync(join(outDir, file.replace(/^\//, '')), 'utf8').includes(ZONE_MARK),
  );
}

/** What a build makes the browser load before the app runs, and what it may load later. */
function measureBuild(outDir: string): { initial: JsSize; deferred: JsSize } {
  const initial = initialScripts(readFileSync(join(outDir, 'index.html'), 'utf8'));
  const deferred = emittedScripts(outDir).filter((file) => !initial.includes(file));
  return { initial: jsSize(outDir, initial), deferred: jsSize(outDir, deferred) };
}

interface LoadMetrics {
  taskMs: number;
  scriptMs: number;
}

async function measureLoad(browser: Browser, url: string, traced: boolean): Promise<LoadMetrics> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await page.goto(url, { waitUntil: 'load' });
    await page.getByTestId('root-button').waitFor();
    // The SDK chunk arrives after the app started: its cost counts too. zone.js
    // defines the global `Zone` when the chunk runs.
    if (traced) await page.waitForFunction(() => 'Zone' in globalThis);
    // Let the tasks that follow the load event run (React's commit, idle work).
    await page.waitForTimeout(500);
    const { metrics } = await cdp.send('Performance.getMetrics');
    const value = (name: string) => {
      const found = metrics.find((m) => m.name === name);
      if (!found) throw new Error(`Performance.getMetrics has no ${name}`);
      return found.value * 1000;
    };
    return { taskMs: value('TaskDuration'), scriptMs: value('ScriptDuration') };
  } finally {
    await context.close();
  }
}

export async function runBrowserCost(ctx: BenchContext): Promise<void> {
  const { options } = ctx;
  const builds = [
    { key: 'traced', traced: true, port: options.previewPort },
    { key: 'untraced', traced: false, port: options.previewPort + 1 },
  ] as const;
  const sizes: Record<string, JsSize> = {};
  const deferred: Record<string, JsSize> = {};
  for (const b of builds) {
    const outDir = join(ctx.workDir, `web-${b.key}`);
    log(`browser: building the ${b.key} page`);
    await buildWeb(outDir, b.traced);
    const measured = measureBuild(outDir);
    sizes[b.key] = measured.initial;
    deferred[b.key] = measured.deferred;
    // Sanity checks, so the figures measure what they say. zone.js (part of the
    // SDK) is never in what the page loads first, in either build: tracing
    // loads it after the app starts (a modulepreload of the SDK chunk in
    // index.html would bring it back onto the critical path). And it is in the
    // traced build's other chunks, never in the untraced build.
    const initialZone = containsZone(outDir, measured.initial.files);
    if (initialZone.length > 0) {
      throw new Error(
        `the ${b.key} build loads zone.js before the app runs (${initialZone.join(', ')}): ` +
          'the tracing SDK is on the critical path again (a static import, or a modulepreload of its chunk)',
      );
    }
    const laterZone = containsZone(outDir, measured.deferred.files);
    if (laterZone.length > 0 !== b.traced) {
      throw new Error(
        b.traced
          ? 'the traced build emitted no chunk with zone.js: is the tracing SDK still imported?'
          : `the untraced build still contains zone.js (${laterZone.join(', ')}): the stub did not apply`,
      );
    }
  }
  // The lazily loaded JavaScript tracing adds: the SDK chunk (and anything it
  // alone needs). Other lazy chunks of the app are in both builds and cancel out.
  const lazyFiles = deferred.traced!.files.filter((file) =>
    containsZone(join(ctx.workDir, 'web-traced'), [file]),
  );
  const lazyDeltaKB = deferred.traced!.gzipKB - deferred.untraced!.gzipKB;

  const host = reach(ctx.config.bindHost);
  const servers = await Promise.all(
    builds.map((b) =>
      preview({
        configFile: join(WEB_DIR, 'vite.config.ts'),
        root: WEB_DIR,
        logLevel: 'warn',
        build: { outDir: join(ctx.workDir, `web-${b.key}`) },
        preview: { host: ctx.config.bindHost, port: b.port, strictPort: true },
      }),
    ),
  );
  const loads: Record<string, LoadMetrics[]> = { traced: [], untraced: [] };
  const browser = await launchChromium();
  try {
    // One unmeasured load each: the preview servers and the OS caches warm up.
    for (const b of builds) await measureLoad(browser, `http://${host}:${b.port}/`, b.traced);
    for (let i = 0; i < options.pageLoads; i += 1) {
      // Alternate which build goes first, so a busy moment hits both.
      for (const b of i % 2 === 0 ? builds : [...builds].reverse()) {
        loads[b.key]!.push(await measureLoad(browser, `http://${host}:${b.port}/`, b.traced));
      }
    }
  } finally {
    await browser.close();
    await Promise.all(servers.map((server) => server.close()));
  }
  log(
    `browser: initial JS gzip ${sizes.traced!.gzipKB.toFixed(1)} KB traced vs ${sizes.untraced!.gzipKB.toFixed(1)} KB untraced; ` +
      `loaded later by tracing ${lazyDeltaKB.toFixed(1)} KB`,
  );

  for (const b of builds) {
    ctx.add({
      id: `web.js_gzip.${b.key}`,
      part: 'browser',
      label: `Initial JavaScript, gzip, ${b.key === 'traced' ? 'with tracing' : 'without tracing'}`,
      unit: 'KB',
      over: 'single',
      values: [sizes[b.key]!.gzipKB],
      note: `${sizes[b.key]!.rawKB.toFixed(1)} KB minified: ${sizes[b.key]!.files.join(', ')}`,
    });
  }
  ctx.add({
    id: 'web.js_gzip.delta',
    part: 'browser',
    label: 'Initial JavaScript, gzip, added by tracing',
    unit: 'KB',
    over: 'single',
    values: [sizes.traced!.gzipKB - sizes.untraced!.gzipKB],
    goal: { op: '<=', value: 20 },
  });
  ctx.add({
    id: 'web.js_gzip.lazy',
    part: 'browser',
    label: 'JavaScript tracing loads after the app starts (SDK chunk), gzip',
    unit: 'KB',
    over: 'single',
    values: [lazyDeltaKB],
    note:
      `${(deferred.traced!.rawKB - deferred.untraced!.rawKB).toFixed(1)} KB minified: ${lazyFiles.join(', ')}; ` +
      `total added by tracing ${(sizes.traced!.gzipKB - sizes.untraced!.gzipKB + lazyDeltaKB).toFixed(1)} KB gzip`,
  });
  for (const [metric, label] of [
    ['taskMs', 'task'],
    ['scriptMs', 'script'],
  ] as const) {
    for (const b of builds) {
      ctx.add({
        id: `web.${metric === 'taskMs' ? 'task_ms' : 'script_ms'}.${b.key}`,
        part: 'browser',
        label: `Page load main-thread ${label} time, ${b.key === 'traced' ? 'with tracing' : 'without tracing'}`,
        unit: 'ms',
        over: 'samples',
        values: loads[b.key]!.map((l) => l[metric]),
      });
    }
    ctx.add({
      id: `web.${metric === 'taskMs' ? 'task_ms' : 'script_ms'}.delta`,
      part: 'browser',
      label: `Page load main-thread ${label} time added by tracing (paired loads)`,
      unit: 'ms',
      over: 'samples',
      values: loads.traced!.map((l, i) => l[metric] - loads.untraced![i]![metric]),
    });
  }
  ctx.details.browser = {
    sizes,
    deferred,
    loads,
    metric: 'CDP Performance.getMetrics, timeDomain threadTicks',
  };
}
