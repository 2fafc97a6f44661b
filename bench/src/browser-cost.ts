/**
 * (2) What tracing costs the page: the gzip size of the JavaScript the page
 * loads before it can run, and the main thread's busy time during a page
 * load, for the same app built twice: as shipped, and with web/src/tracing.ts
 * replaced by a no-op stub (bench/src/web-stub/tracing-off.ts). Nothing in
 * web/ changes: the stub is swapped in by a Vite plugin given to the build.
 *
 * Main-thread time is Chromium's own accounting, read over CDP
 * (Performance.getMetrics, thread CPU time): TaskDuration (every main-thread
 * task) and ScriptDuration (JavaScript compile and run), from a fresh browser
 * context per load, after the page rendered its first button and went idle.
 */
import { readFileSync, statSync } from 'node:fs';
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

function jsSize(outDir: string): { files: string[]; rawKB: number; gzipKB: number } {
  const files = initialScripts(readFileSync(join(outDir, 'index.html'), 'utf8'));
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const path = join(outDir, file.replace(/^\//, ''));
    const content = readFileSync(path);
    raw += statSync(path).size;
    gzip += gzipSync(content, { level: 9 }).length;
  }
  return { files, rawKB: raw / 1024, gzipKB: gzip / 1024 };
}

interface LoadMetrics {
  taskMs: number;
  scriptMs: number;
}

async function measureLoad(browser: Browser, url: string): Promise<LoadMetrics> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await page.goto(url, { waitUntil: 'load' });
    await page.getByTestId('root-button').waitFor();
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
  const sizes: Record<string, ReturnType<typeof jsSize>> = {};
  for (const b of builds) {
    const outDir = join(ctx.workDir, `web-${b.key}`);
    log(`browser: building the ${b.key} page`);
    await buildWeb(outDir, b.traced);
    sizes[b.key] = jsSize(outDir);
    const bundle = sizes[b.key]!.files.map((f) =>
      readFileSync(join(outDir, f.replace(/^\//, '')), 'utf8'),
    ).join('');
    // zone.js marks everything it patches with this prefix: present iff the tracing module is in.
    if (bundle.includes('__zone_symbol__') !== b.traced) {
      throw new Error(
        `the ${b.key} build ${b.traced ? 'lacks' : 'still contains'} zone.js: the stub did not apply`,
      );
    }
  }

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
    for (const b of builds) await measureLoad(browser, `http://${host}:${b.port}/`);
    for (let i = 0; i < options.pageLoads; i += 1) {
      // Alternate which build goes first, so a busy moment hits both.
      for (const b of i % 2 === 0 ? builds : [...builds].reverse()) {
        loads[b.key]!.push(await measureLoad(browser, `http://${host}:${b.port}/`));
      }
    }
  } finally {
    await browser.close();
    await Promise.all(servers.map((server) => server.close()));
  }
  log(
    `browser: JS gzip ${sizes.traced!.gzipKB.toFixed(1)} KB traced vs ${sizes.untraced!.gzipKB.toFixed(1)} KB untraced`,
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
  ctx.details.browser = { sizes, loads, metric: 'CDP Performance.getMetrics, timeDomain threadTicks' };
}
