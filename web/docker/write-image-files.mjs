// Writes the files web/Dockerfile's build stage bakes into the image, into
// the directory named by the first argument:
//   security-headers.inc.in  nginx's security headers, with a placeholder
//                            for the connect-src origins (nginx-headers.ts)
//   browser-config.sh        the page's endpoints, their variables and
//                            defaults, for the start script (browser-config-table.ts)
// Run where the workspace is installed: Vite loads the TypeScript, so any
// Node the image has will do.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runnerImport } from 'vite';

const dir = process.argv[2];
if (!dir) throw new Error('Usage: node write-image-files.mjs <output directory>');

async function load(file) {
  const { module } = await runnerImport(new URL(file, import.meta.url).pathname, {
    configFile: false,
    logLevel: 'silent',
  });
  return module;
}

const { nginxSecurityHeaders } = await load('./nginx-headers.ts');
const { browserConfigTable } = await load('./browser-config-table.ts');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'security-headers.inc.in'), nginxSecurityHeaders());
writeFileSync(join(dir, 'browser-config.sh'), browserConfigTable());
console.log(`Wrote the nginx security headers and the browser config table to ${dir}.`);
