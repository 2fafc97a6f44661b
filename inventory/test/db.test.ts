/**
 * Every SQLite query is a CLIENT span that follows the database semantic
 * conventions, with the values bound, never inlined; a failing statement is
 * an ERROR span with the exception recorded.
 */
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InventoryDb } from '../src/db.ts';
import { SEED_ITEMS } from '../src/seed.ts';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const dbs: InventoryDb[] = [];

function openDb(file = ':memory:'): InventoryDb {
  const db = new InventoryDb(file);
  dbs.push(db);
  return db;
}

beforeAll(() => {
  provider.register();
});
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  exporter.reset();
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
});

describe('InventoryDb', () => {
  it('is seeded with items 1..100 and finds one by id', () => {
    const db = openDb();
    expect(db.findItem(5)).toEqual(SEED_ITEMS[4]);
    expect(db.findItem(100)).toMatchObject({ item_id: 100 });
    expect(db.findItem(0)).toBeUndefined();
    expect(db.findItem(101)).toBeUndefined();
  });

  it('makes one CLIENT span per query, with the query text and its placeholders', () => {
    const db = openDb();
    exporter.reset();
    db.findItem(42);
    const [span, ...others] = exporter.getFinishedSpans();
    expect(others).toHaveLength(0);
    expect(span!.name).toBe('SELECT items');
    expect(span!.kind).toBe(2); // SpanKind.CLIENT
    expect(span!.attributes).toEqual({
      'db.system.name': 'sqlite',
      'db.namespace': ':memory:',
      'db.operation.name': 'SELECT',
      'db.collection.name': 'items',
      'db.query.text': 'SELECT id AS item_id, name, stock FROM items WHERE id = ?',
    });
    // The value is bound, never part of what is recorded.
    expect(JSON.stringify(span!.attributes)).not.toContain('42');
  });

  it('records a failing statement as an ERROR span with the exception', () => {
    const db = openDb();
    exporter.reset();
    const broken = {
      operation: 'SELECT',
      collection: 'nowhere',
      text: 'SELECT * FROM nowhere WHERE id = ?',
    } as const;
    expect(() =>
      db.run(broken, [1], () => {
        throw new Error('no such table: nowhere');
      }),
    ).toThrow(/no such table/);
    const [span] = exporter.getFinishedSpans();
    expect(span!.status).toMatchObject({ code: 2, message: 'no such table: nowhere' });
    expect(span!.events.map((event) => event.name)).toEqual(['exception']);
    expect(span!.attributes['error.type']).toBe('Error');
  });

  it('creates the file and its folder on first start, and opens it again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inventory-'));
    try {
      const file = join(dir, 'nested', 'inventory.db');
      openDb(file).close();
      exporter.reset();
      const again = openDb(file);
      expect(again.findItem(7)).toEqual(SEED_ITEMS[6]);
      expect(existsSync(file)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
