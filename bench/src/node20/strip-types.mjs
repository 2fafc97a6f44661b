/**
 * `node --import ./strip-types.mjs …`: lets Node 20, which cannot strip
 * TypeScript types itself, run the API's .ts sources, so the benchmark can
 * measure the old runtime beside the pinned one (api-load.ts). Plain
 * JavaScript on purpose: Node 20 runs this file before any type stripping.
 * A benchmark aid only; the services never run on Node 20.
 */
import { register } from 'node:module';

register('./strip-types-hooks.mjs', import.meta.url);
