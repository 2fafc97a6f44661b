// Writes the web image's nginx security-header template (nginx-headers.ts) to
// the file named by the first argument. Run in web/Dockerfile's build stage,
// where the workspace is installed: Vite loads the TypeScript, so any Node the
// image has will do.
import { writeFileSync } from 'node:fs';
import { runnerImport } from 'vite';

const out = process.argv[2];
if (!out) throw new Error('Usage: node write-nginx-headers.mjs <output file>');
const { module } = await runnerImport(new URL('./nginx-headers.ts', import.meta.url).pathname, {
  configFile: false,
  logLevel: 'silent',
});
writeFileSync(out, module.nginxSecurityHeaders());
console.log(`Wrote the nginx security headers to ${out}.`);
