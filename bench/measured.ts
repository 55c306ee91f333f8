/**
 * A figure measured one or more times, kept as every value plus median and range, so the
 * report can say "1.24 s (1.20–1.31, n=3)" and a later run can be compared figure by figure.
 */

export interface Measured {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Every value, in the order measured. */
  readonly values: readonly number[];
}

/** Median (the mean of the middle two for an even count), min and max of `values`. */
export function measured(values: readonly number[]): Measured {
  if (values.length === 0) throw new Error('measured(): no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, values: [...values] };
}

/** One value as a Measured (a figure measured once). */
export function once(value: number): Measured {
  return measured([value]);
}

/** Applies `f` to every value (e.g. seconds → events/s); median/min/max are recomputed. */
export function mapMeasured(m: Measured, f: (value: number) => number): Measured {
  return measured(m.values.map(f));
}
