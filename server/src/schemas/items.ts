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
});
export type ItemQuery = Static<typeof ItemQuerySchema>;

/** Same shape as the FastAPI article: `{"item_id": 5, "q": "somequery"}`, q null when absent. */
export const ItemSchema = Type.Object({
  item_id: Type.Integer(),
  q: Type.Union([Type.String(), Type.Null()]),
});
export type Item = Static<typeof ItemSchema>;
