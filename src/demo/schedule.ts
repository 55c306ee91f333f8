/**
 * When an actor is active: people in office hours of their own time zone on weekdays,
 * customer-driven workloads around the clock with a daily swell, nightly jobs at fixed times,
 * agents every few minutes, CI when developers push.
 *
 * A schedule turns an actor's event budget for one day into bursts (a start time and a number
 * of calls). Office days are local days: a Bangalore morning falls in the previous UTC day, so
 * a UTC day's bursts come from up to three local days, each planned from its own seed.
 */
import type { SeededRandom } from './random.js';

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

/** Sunday is 0; day 0 of the epoch was a Thursday. */
export const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;
export const isWeekend = (day: number): boolean => {
  const w = weekday(day);
  return w === 0 || w === 6;
};

export type Schedule =
  | { readonly kind: 'office'; readonly utcOffsetMinutes: number; readonly startMinute: number; readonly workMinutes: number }
  | { readonly kind: 'clock'; readonly profile: 'flat' | 'customers' }
  | { readonly kind: 'nightly'; readonly utcMinutes: readonly number[]; readonly weekdaysOnly?: boolean }
  | { readonly kind: 'periodic'; readonly everyMinutes: number }
  | { readonly kind: 'ci' };

/** Expected volume of a schedule day relative to the average day of a week (the seven average to 1). */
export function dayFactor(schedule: Schedule, day: number): number {
  const weekend = isWeekend(day);
  switch (schedule.kind) {
    case 'office':
      return weekend ? 0.04 : 7 / 5 - (2 * 0.04) / 5;
    case 'clock':
      return schedule.profile === 'customers' ? (weekend ? 0.8 : 1.08) : 1;
    case 'nightly':
      return schedule.weekdaysOnly ? (weekend ? 0 : 7 / 5) : 1;
    case 'periodic':
      return 1;
    case 'ci':
      return weekend ? 0.25 : 1.3;
  }
}

/** The UTC millisecond a schedule day starts (a local day for office schedules). */
export function scheduleDayStart(schedule: Schedule, day: number): number {
  return schedule.kind === 'office' ? day * DAY_MS - schedule.utcOffsetMinutes * MINUTE_MS : day * DAY_MS;
}

/** Customer traffic swells in the American afternoon (UTC 13–22) and ebbs at night. */
function customerIntensity(minuteOfDay: number): number {
  return 0.35 + (0.65 * (1 + Math.cos((2 * Math.PI * (minuteOfDay - 17 * 60)) / (24 * 60)))) / 2;
}

/**
 * The start of the `index`-th of `count` bursts of a schedule day.
 * Office bursts avoid lunch half the time; CI follows pushes in American and European hours.
 */
export function burstStart(schedule: Schedule, day: number, index: number, count: number, rng: SeededRandom): number {
  const start = scheduleDayStart(schedule, day);
  switch (schedule.kind) {
    case 'office': {
      const begin = schedule.startMinute + rng.around(0, 25);
      for (;;) {
        const minute = begin + rng.next() * schedule.workMinutes;
        const lunch = minute >= 12 * 60 && minute < 13 * 60;
        if (!lunch || rng.chance(0.4)) return start + Math.floor(minute * MINUTE_MS);
      }
    }
    case 'clock': {
      if (schedule.profile === 'flat') return start + rng.int(DAY_MS);
      for (;;) {
        const ms = rng.int(DAY_MS);
        if (rng.next() < customerIntensity(ms / MINUTE_MS)) return start + ms;
      }
    }
    case 'nightly': {
      const minute = schedule.utcMinutes[index % schedule.utcMinutes.length]!;
      return start + minute * MINUTE_MS + rng.int(4 * MINUTE_MS);
    }
    case 'periodic': {
      const slot = Math.floor((index * 24 * 60) / count);
      return start + slot * MINUTE_MS + rng.int(Math.max(1, Math.floor((24 * 60) / count)) * MINUTE_MS);
    }
    case 'ci': {
      const r = rng.next();
      if (index === 0 && !isWeekend(day)) return start + (3 * 60 + rng.int(20)) * MINUTE_MS;
      const hours = r < 0.6 ? [13, 23] : r < 0.85 ? [8, 13] : [0, 24];
      return start + Math.floor((hours[0]! + rng.next() * (hours[1]! - hours[0]!)) * 60 * MINUTE_MS);
    }
  }
}
