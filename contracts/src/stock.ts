import { Type, type Static } from 'typebox';
import { ITEM_ID_PATTERN } from './ids.ts';
import { MAX_INVENTORY_DELAY_MS } from './items.ts';

/**
 * The inventory's `GET /stock/:id`, which the API calls for each item: the
 * inventory validates its inputs and serializes its answer with these, and
 * the API checks the answer it gets against {@link StockSchema}.
 */
export const StockParamsSchema = Type.Object({ id: Type.String({ pattern: ITEM_ID_PATTERN }) });
export type StockParams = Static<typeof StockParamsSchema>;

export const StockQuerySchema = Type.Object({
  /** "Slow downstream": wait this long before answering. */
  delay_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_INVENTORY_DELAY_MS })),
  /** "Inventory failure": answer 500 on purpose. */
  fail: Type.Optional(Type.Boolean()),
});
export type StockQuery = Static<typeof StockQuerySchema>;

export const StockSchema = Type.Object({
  item_id: Type.Integer(),
  name: Type.String(),
  stock: Type.Integer(),
});
export type Stock = Static<typeof StockSchema>;
