import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { logFilePath, serviceLogger } from '../src/logger.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'logger-'));
  dirs.push(dir);
  return dir;
}

describe('serviceLogger', () => {
  it('appends JSON lines naming the service to <LOG_DIR>/<service>.log, creating the folder', () => {
    const logDir = join(tempDir(), 'logs');
    const { stream, ...options } = serviceLogger({ service: 'inventory', level: 'info', logDir });
    const logger = pino(options, stream);
    logger.info({ trace_id: 'abc' }, 'first');
    logger.debug('below the level');
    logger.warn('second');
    const lines = readFileSync(logFilePath(logDir, 'inventory'), 'utf8').trim().split('\n');
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ service: 'inventory', msg: 'first', trace_id: 'abc', level: 30 }),
      expect.objectContaining({ service: 'inventory', msg: 'second', level: 40 }),
    ]);
  });
});
