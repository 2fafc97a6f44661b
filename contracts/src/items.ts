import { Type, type Static } from 'typebox';
import { ITEM_ID_PATTERN } from './ids.ts';

/** `GET /` of the API. */
export const HelloSchema = Type.Object({ Hello: Type.Literal('World') });

/** "Slow downstream": the longest wait the API forwards and the inventory accepts. */
export const MAX_INVENTORY_DELAY_MS = 10_000;

export const ItemParamsSchema = Type.Object({
  id: Type.String({ pattern: ITEM_ID_PATTERN, description: 'Item id (an integer).' }),
});
export type ItemParams = Static<typeof ItemParamsSchema>;

export const ItemQuerySchema = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 256 })),
  /** "Slow downstream": the inventory waits this long before answering. */
  inventory_delay_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_INVENTORY_DELAY_MS })),
  /** "Inventory failure": the inventory answers 500, the API 502. */
  inventory_fail: Type.Optional(Type.Boolean()),
});
export type ItemQuery = Static<typeof ItemQuerySchema>;

/**
 * `GET /items/:id`: the FastAPI article's `{"item_id": 5, "q": "somequery"}`
 * (q null when absent), plus the item's name and stock from the inventory.
 */
export const ItemSchema = Type.Object({
  item_id: Type.Integer(),
  q: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  stock: Type.Integer(),
});
export type Item = Static<typeof ItemSchema>;
