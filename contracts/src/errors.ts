import { Type, type Static } from 'typebox';

/** Fastify's error body: every 4xx/5xx of the API and the inventory has this shape. */
export const ErrorSchema = Type.Object({
  statusCode: Type.Integer(),
  code: Type.Optional(Type.String()),
  error: Type.String(),
  message: Type.String(),
});
export type ErrorBody = Static<typeof ErrorSchema>;
