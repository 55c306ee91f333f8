/** How figures read in the report: median first, then (min–max) when measured more than once. */
import type { Measured } from './measured.js';

const trim = (n: number, digits: number) => n.toFixed(digits);

function digitsFor(n: number): number {
  const a = Math.abs(n);
  return a >= 100 ? 0 : a >= 10 ? 1 : 2;
}

/** `1.24 s (1.20–1.31)`, or milliseconds below a second: `84 ms (80–95)`. */
export function secondsText(m: Measured): string {
  const inMs = m.median < 1;
  const scale = inMs ? 1000 : 1;
  const unit = inMs ? 'ms' : 's';
  const d = digitsFor(m.median * scale);
  const range = m.values.length > 1 ? ` (${trim(m.min * scale, d)}–${trim(m.max * scale, d)})` : '';
  return `${trim(m.median * scale, d)} ${unit}${range}`;
}

export function oneSecondsText(s: number): string {
  return secondsText({ median: s, min: s, max: s, values: [s] });
}

/** `52,300 (49,800–53,100)` for rates and counts. */
export function numberText(m: Measured, unit = ''): string {
  const f = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(digitsFor(n)));
  const range = m.values.length > 1 ? ` (${f(m.min)}–${f(m.max)})` : '';
  return `${f(m.median)}${unit ? ` ${unit}` : ''}${range}`;
}

export function ratioText(n: number): string {
  return `${n >= 100 ? Math.round(n).toLocaleString('en-US') : n >= 10 ? n.toFixed(0) : n.toFixed(1)}×`;
}

export function bytesText(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} B`;
}

export function countText(n: number): string {
  return n.toLocaleString('en-US');
}
