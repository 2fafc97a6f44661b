import { Type, type Static } from 'typebox';

export const HelloSchema = Type.Object({ Hello: Type.Literal('World') });

/**
 * The id is checked as digits, not with `Type.Integer()`: Fastify's Ajv would
 * coerce " ", "0x10" or "1e3" into integers (0, 16, 1000) and answer 200.
 * At most 15 digits, so it is exact as a JS number.
 */
export const ITEM_ID_PATTERN = '^-?[0-9]{1,15}$';
export const ItemParamsSchema = Type.Object({
  id: Type.String({ pattern: ITEM_ID_PATTERN, description: 'Item id (an integer).' }),
});
export type ItemParams = Static<typeof ItemParamsSchema>;

export const ItemQuerySchema = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 256 })),
  /** "Slow downstream": the inventory waits this long before answering. */
  inventory_delay_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  /** "Inventory failure": the inventory answers 500, the API 502. */
  inventory_fail: Type.Optional(Type.Boolean()),
});
export type ItemQuery = Static<typeof ItemQuerySchema>;

/**
 * The FastAPI article's `{"item_id": 5, "q": "somequery"}` (q null when
 * absent), plus the item's name and stock from the inventory service.
 */
export const ItemSchema = Type.Object({
  item_id: Type.Integer(),
  q: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  stock: Type.Integer(),
});
export type Item = Static<typeof ItemSchema>;
