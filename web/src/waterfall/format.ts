/**
 * Formatting of span data for the waterfall and its details panel. Pure:
 * unit-tested in test/waterfall/format.test.ts.
 */

/** Shown for a value that cannot be formatted (not a number, negative duration…). */
export const NOT_A_VALUE = '—';

/** `value` with at most `decimals` decimals, trailing zeros dropped: 20 → "20", 14.25 → "14.3". */
function trimmed(value: number, decimals: number): string {
  return String(Number(value.toFixed(decimals)));
}

/**
 * A duration for people: "0 ms", "420 µs", "4.25 ms", "53.3 ms", "812 ms",
 * "1.25 s", "12.5 s", "2.5 min". NOT_A_VALUE for a negative, infinite or
 * non-number input.
 */
export function formatDuration(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return NOT_A_VALUE;
  if (ms === 0) return '0 ms';
  if (ms < 1) {
    const us = Math.round(ms * 1000);
    // 0.9996 ms rounds to 1000 µs: say 1 ms.
    return us >= 1000 ? '1 ms' : `${Math.max(us, 1)} µs`;
  }
  if (ms < 10) return `${trimmed(ms, 2)} ms`;
  if (ms < 100) return `${trimmed(ms, 1)} ms`;
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  if (ms < 9_995) return `${trimmed(ms / 1000, 2)} s`;
  if (ms < 59_950) return `${trimmed(ms / 1000, 1)} s`;
  return `${trimmed(ms / 60_000, 1)} min`;
}

/** A signed offset: "+0 ms", "+2 ms", "−1.5 ms" (a true minus sign). NOT_A_VALUE when not finite. */
export function formatOffset(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return NOT_A_VALUE;
  return ms < 0 ? `−${formatDuration(-ms)}` : `+${formatDuration(ms)}`;
}

function scalar(value: unknown, quoteStrings: boolean): string {
  if (typeof value === 'string') return quoteStrings ? JSON.stringify(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return NOT_A_VALUE;
  try {
    return JSON.stringify(value) ?? NOT_A_VALUE;
  } catch {
    // A cycle or a BigInt: nothing JSON can say.
    return NOT_A_VALUE;
  }
}

/**
 * An attribute value as text: a string as is, numbers and booleans as
 * written, an array as `["a", "b"]` / `[1, 2]` (strings quoted, so
 * `["a, b"]` and `["a", "b"]` differ). Anything outside the OpenTelemetry
 * attribute types (it came over the network) is shown as JSON, or
 * NOT_A_VALUE when it is null or cannot be written.
 */
export function formatAttributeValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => scalar(item, true)).join(', ')}]`;
  return scalar(value, false);
}

/** Attributes as [key, text] pairs sorted by key, for a key/value table. */
export function attributeEntries(attributes: unknown): [string, string][] {
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return [];
  return Object.entries(attributes as Record<string, unknown>)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => [key, formatAttributeValue(value)]);
}

const KIND_LABELS: Readonly<Record<string, string>> = {
  internal: 'INTERNAL',
  server: 'SERVER',
  client: 'CLIENT',
  producer: 'PRODUCER',
  consumer: 'CONSUMER',
};

/** "SERVER" for 'server', as Jaeger and the README write span kinds. */
export function formatKind(kind: string): string {
  return KIND_LABELS[kind] ?? kind.toUpperCase();
}

/** "Error: boom", "OK", "Unset". */
export function formatStatus(status: { code: string; message?: string }): string {
  const label = status.code === 'error' ? 'Error' : status.code === 'ok' ? 'OK' : 'Unset';
  return status.message ? `${label}: ${status.message}` : label;
}
