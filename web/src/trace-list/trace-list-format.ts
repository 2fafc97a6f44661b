/**
 * Formatting of the trace list's lines. Pure: unit-tested in
 * test/trace-list/trace-list-format.test.ts.
 */
import { NOT_A_VALUE } from '../waterfall/format';

const two = (n: number) => String(n).padStart(2, '0');

/**
 * When a trace started, in local time: "14:03:22" today, "2026-11-29 14:03:22"
 * another day (relative to `now`). NOT_A_VALUE when it is not a time.
 */
export function formatStartTime(unixMs: unknown, now: Date = new Date()): string {
  if (typeof unixMs !== 'number' || !Number.isFinite(unixMs)) return NOT_A_VALUE;
  const at = new Date(unixMs);
  if (Number.isNaN(at.getTime())) return NOT_A_VALUE;
  const time = `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
  const sameDay =
    at.getFullYear() === now.getFullYear() &&
    at.getMonth() === now.getMonth() &&
    at.getDate() === now.getDate();
  return sameDay ? time : `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${time}`;
}

/** "1 span", "10 spans", "0 errors". */
export function countLabel(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
