/**
 * @tracing-demo/contracts: every HTTP contract of the demo, written once as
 * TypeBox schemas. The sender validates its inputs and serializes its answer
 * with a schema (Fastify); the receiver checks the answer with the same one
 * ({@link checked}). Types are derived (`Static<>`), never written by hand.
 *
 * | contract                         | sender    | receiver          |
 * | -------------------------------- | --------- | ----------------- |
 * | `GET /traces/:traceId` traces.ts | API       | page (waterfall)  |
 * | `GET /status`          status.ts | API       | page (status)     |
 * | `GET /items/:id`       items.ts  | API       | page (shown as is) |
 * | `GET /stock/:id`       stock.ts  | inventory | API               |
 * | errors (4xx/5xx)       errors.ts | both      | API, page         |
 * | `GET /healthz`         health.ts | both      | launcher, API     |
 */
export * from './check.ts';
export * from './errors.ts';
export * from './health.ts';
export * from './ids.ts';
export * from './items.ts';
export * from './status.ts';
export * from './stock.ts';
export * from './traces.ts';
