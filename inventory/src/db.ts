/**
 * The inventory's SQLite database, through Node's built-in `node:sqlite` (the
 * real SQLite, linked into Node: no native build, no WebAssembly heap). There
 * is no OpenTelemetry instrumentation for it, so every query is wrapped here
 * in a CLIENT span that follows the database semantic conventions:
 * `db.query.text` keeps the `?` placeholders and the values are never
 * recorded (they may be personal data).
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { SEED_ITEMS } from './seed.ts';

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
  readonly #db: DatabaseSync;
  readonly #namespace: string;
  /** Prepared once: SQLite parses and plans the statement of every request only here. */
  readonly #byId: StatementSync;

  /** Opens (creating it if needed) the file and seeds it once. `:memory:` works for tests. */
  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.#db = new DatabaseSync(file);
    this.#namespace = file === ':memory:' ? file : basename(file);
    this.#seed();
    this.#byId = this.#db.prepare(QUERIES.byId.text);
  }

  /** The item with this id, or undefined. */
  findItem(id: number): Item | undefined {
    const row = this.run(QUERIES.byId, [id], (_sql, values) => this.#byId.get(...values));
    if (row === undefined) return undefined;
    // A plain object (node:sqlite's rows have no prototype), typed by its columns.
    const { item_id, name, stock } = row as unknown as Item;
    return { item_id, name, stock };
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

  /** Releases the file handle (the service's shutdown calls it). */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  #seed(): void {
    this.#db.exec(QUERIES.createTable.text);
    const row = this.#db.prepare(QUERIES.count.text).get() as { n: number } | undefined;
    if (row !== undefined && row.n >= SEED_ITEMS.length) return;
    // One transaction: a hundred inserts in one file sync instead of a hundred.
    const insert = this.#db.prepare(QUERIES.insert.text);
    this.#db.exec('BEGIN');
    for (const item of SEED_ITEMS) insert.run(item.item_id, item.name, item.stock);
    this.#db.exec('COMMIT');
  }
}
