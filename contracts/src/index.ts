/**
 * @tracing-demo/contracts: every HTTP contract of the demo, written once as
 * TypeBox schemas, with the types derived from them (`Static<>`). The sender
 * validates its inputs and serializes its answer with the schema (Fastify);
 * the receiver checks the answer against the same schema ({@link checked}).
 * Browser-safe: the page imports it too (the checks in a lazy chunk).
 *
 * | contract                         | sender    | checked by                    |
 * | -------------------------------- | --------- | ----------------------------- |
 * | `GET /traces/:traceId` traces.ts | API       | page (before drawing)         |
 * | `GET /traces`      trace-list.ts | API       | page (trace list)             |
 * | `GET /status`          status.ts | API       | page (status strip)           |
 * | `GET /stock/:id`       stock.ts  | inventory | API (inventory-client.ts)     |
 * | errors (4xx/5xx)       errors.ts | both      | API (the inventory's), e2e    |
 * | `GET /items/:id`       items.ts  | API       | e2e (the page shows it as is) |
 * | `GET /healthz`         health.ts | both      | probes read the status only   |
 * | `GET /propagation` propagation.ts | API       | e2e (propagation.spec.ts)     |
 */
export * from './check.ts';
export * from './errors.ts';
export * from './health.ts';
export * from './ids.ts';
export * from './items.ts';
export * from './propagation.ts';
export * from './status.ts';
export * from './stock.ts';
export * from './trace-list.ts';
export * from './traces.ts';
