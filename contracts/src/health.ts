import { Type, type Static } from 'typebox';

/** `GET /healthz` of the API and of the inventory. */
export const HealthSchema = Type.Object({ status: Type.Literal('ok') });
export type Health = Static<typeof HealthSchema>;
