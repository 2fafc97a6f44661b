import { Type, type Static } from 'typebox';

/** `GET /healthz`: the same answer as the inventory's. */
export const HealthSchema = Type.Object({ status: Type.Literal('ok') });
export type Health = Static<typeof HealthSchema>;
