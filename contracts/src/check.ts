/**
 * The check the receiving end of a contract runs: the page on the API's
 * answers, the API on the inventory's. Same schema as the sender's, so the
 * two ends cannot drift apart. A mismatch is one sentence naming the first
 * field that does not match, never a half-drawn page.
 */
import type { Static, TSchema } from 'typebox';
import { Check, Errors } from 'typebox/schema';

/** A body that is not what its contract says. */
export class ContractError extends Error {
  override name = 'ContractError';
  /** The first field that does not match and what it must be, e.g. `spans[0].kind must be one of …, got "x"`. */
  readonly problem: string;

  constructor(what: string, problem: string) {
    super(`${what} does not match its contract: ${problem}.`);
    this.problem = problem;
  }
}

/** `value` typed by `schema`, or a {@link ContractError} saying where `what` breaks it. */
export function checked<S extends TSchema>(schema: S, value: unknown, what: string): Static<S> {
  if (Check(schema, value)) return value as Static<S>;
  throw new ContractError(what, firstProblem(schema, value));
}

/** `/spans/0/kind` → `spans[0].kind`; the root is `(root)`. */
function pathText(pointer: string): string {
  if (pointer === '') return '(root)';
  return keysOf(pointer)
    .map((key, i) => (/^\d+$/.test(key) ? `[${key}]` : i === 0 ? key : `.${key}`))
    .join('');
}

function keysOf(pointer: string): string[] {
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function valueAt(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  let current = value;
  for (const key of keysOf(pointer)) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/**
 * The first failing field and what it must be. A missing field is named
 * (`spans[0].parentSpanId is missing`); a union reports one error per branch
 * and then `anyOf`: those become "must be a string or must be null".
 */
function firstProblem(schema: TSchema, value: unknown): string {
  const [, errors] = Errors(schema, value);
  const first = errors[0];
  if (first === undefined) return 'no details';
  if (first.keyword === 'required') {
    const [missing, ...others] = first.params.requiredProperties;
    const at = first.instancePath === '' ? '' : `${pathText(first.instancePath)}.`;
    return `${at}${missing} is missing${others.length > 0 ? ` (and ${others.join(', ')})` : ''}`;
  }
  const here = errors.filter((e) => e.instancePath === first.instancePath && e.keyword !== 'anyOf');
  const musts = new Set(
    here.map((e) =>
      e.keyword === 'enum' ? `must be one of ${e.params.allowedValues.join(', ')}` : e.message,
    ),
  );
  const got = describe(valueAt(value, first.instancePath));
  return `${pathText(first.instancePath)} ${[...musts].join(' or ')}, got ${got}`;
}
