/**
 * The numbers typed into the scenario controls, checked before anything is
 * sent. Pure: unit-tested in test/scenarios/scenario-inputs.test.ts.
 */

export const MAX_BURST = 50;
/** The API accepts inventory delays from 0 to 10000 ms; over 5000 its own timeout answers 504. */
export const MAX_DELAY_MS = 10_000;
export const API_TIMEOUT_MS = 5_000;

export type Parsed = { ok: true; value: number } | { ok: false; message: string };

/** A whole number from `min` to `max`, typed as plain digits (no sign, exponent, decimals or spaces inside). */
function wholeNumber(text: string, min: number, max: number, what: string): Parsed {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: `Enter ${what}.` };
  if (!/^\d+$/.test(trimmed))
    return { ok: false, message: `${what[0]!.toUpperCase()}${what.slice(1)} must be a whole number.` };
  const value = Number(trimmed);
  if (value < min || value > max) return { ok: false, message: `Between ${min} and ${max}.` };
  return { ok: true, value };
}

/** The burst size: 1 to MAX_BURST parallel actions. */
export function parseBurstCount(text: string): Parsed {
  return wholeNumber(text, 1, MAX_BURST, 'a number of actions');
}

/** The inventory delay of the slow-downstream scenario, in ms: 0 to MAX_DELAY_MS. */
export function parseDelayMs(text: string): Parsed {
  return wholeNumber(text, 0, MAX_DELAY_MS, 'a delay in ms');
}
