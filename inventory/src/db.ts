/**
 * The inventory's SQLite database (node-sqlite3-wasm: SQLite compiled to
 * WebAssembly, reading and writing a real file; no native build, and Node 20
 * has no node:sqlite). There is no OpenTelemetry instrumentation for it, so
 * every query is wrapped here in a CLIENT span that follows the database
 * semantic conventions: `db.query.text` keeps the `?` placeholders and the
 * values are never recorded (they may be personal data).
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
// A CommonJS module without named exports Node can detect: import its default.
import sqlite from 'node-sqlite3-wasm';
import { SEED_ITEMS } from './seed.ts';

const { Database } = sqlite;
const tracer = trace.getTracer('@tracing-demo/inventory/db');

export interface Item {
  item_id: number;
  name: string;
  stock: number;
}

type SqlValue = number | string | null;

/** One statement as the conventions describe it: operation and collection name the span. */
export interface Query {
  operation: 'SELECT' | 'INSERT' | 'CREATE TABLE';
  collection: string;
  text: string;
}

const QUERIES = {
  createTable: {
    operation: 'CREATE TABLE',
    collection: 'items',
    text: 'CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, stock INTEGER NOT NULL)',
  },
  count: { operation: 'SELECT', collection: 'items', text: 'SELECT COUNT(*) AS n FROM items' },
  insert: {
    operation: 'INSERT',
    collection: 'items',
    text: 'INSERT OR IGNORE INTO items (id, name, stock) VALUES (?, ?, ?)',
  },
  byId: {
    operation: 'SELECT',
    collection: 'items',
    text: 'SELECT id AS item_id, name, stock FROM items WHERE id = ?',
  },
} as const satisfies Record<string, Query>;

export class InventoryDb {
  readonly #db: InstanceType<typeof Database>;
  readonly #namespace: string;

  /** Opens (creating it if needed) the file and seeds it once. `:memory:` works for tests. */
  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.#db = new Database(file);
    this.#namespace = file === ':memory:' ? file : basename(file);
    this.#seed();
  }

  /** The item with this id, or undefined. */
  findItem(id: number): Item | undefined {
    const row = this.run(QUERIES.byId, [id], (sql, values) => this.#db.get(sql, values));
    return row === null || row === undefined ? undefined : (row as unknown as Item);
  }

  /**
   * Runs `exec` for `query` inside a CLIENT span. Exposed for the tests (a
   * failing statement must give an ERROR span); routes use the methods above.
   */
  run<T>(query: Query, values: SqlValue[], exec: (sql: string, values: SqlValue[]) => T): T {
    const attributes: Attributes = {
      'db.system.name': 'sqlite',
      'db.namespace': this.#namespace,
      'db.operation.name': query.operation,
      'db.collection.name': query.collection,
      'db.query.text': query.text,
    };
    return tracer.startActiveSpan(
      `${query.operation} ${query.collection}`,
      { kind: SpanKind.CLIENT, attributes },
      (span) => {
        try {
          return exec(query.text, values);
        } catch (error) {
          const err = error instanceof Error ? error : new Error(String(error));
          span.recordException(err);
          span.setAttribute('error.type', err.name);
          span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  /** node-sqlite3-wasm frees its memory and file handle only here. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  #seed(): void {
    this.#db.exec(QUERIES.createTable.text);
    const row = this.#db.get(QUERIES.count.text) as { n: number } | null;
    if (row !== null && row.n >= SEED_ITEMS.length) return;
    // One transaction: a hundred inserts in one file sync instead of a hundred.
    this.#db.exec('BEGIN');
    for (const item of SEED_ITEMS) this.#db.run(QUERIES.insert.text, [item.item_id, item.name, item.stock]);
    this.#db.exec('COMMIT');
  }
}
