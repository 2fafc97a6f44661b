import { isAbsolute, resolve } from 'node:path';
import { loadStackConfig } from '@tracing-demo/stack';
import { REPO_ROOT } from '@tracing-demo/stack/processes';

/** What the inventory needs from the stack configuration (see stack/src/config.ts). */
export interface InventoryConfig {
  host: string;
  port: number;
  /** Absolute path of the SQLite file. */
  databaseFile: string;
}

/** Reads and validates the configuration; throws an error naming the bad variable. */
export function loadInventoryConfig(env: Record<string, string | undefined> = process.env): InventoryConfig {
  const stack = loadStackConfig(env);
  const dir = stack.inventory.dataDir;
  return {
    host: stack.bindHost,
    port: stack.inventory.port,
    databaseFile: resolve(isAbsolute(dir) ? dir : resolve(REPO_ROOT, dir), 'inventory.db'),
  };
}
