/**
 * Tasks: what an actor does in one sitting, as weighted API calls named by catalog key, so a
 * repertoire reads like a list of habits and a typo fails when the module loads.
 */
import type { Channel, Task } from '../activity.js';
import { apiCall } from '../event-catalog.js';
import type { Bucket } from '../inventory.js';
import { WeightedChoice } from '../random.js';

export interface TaskOptions {
  readonly opening?: readonly string[];
  readonly buckets?: readonly Bucket[];
  readonly region?: string;
  readonly sweepRegions?: readonly string[];
}

/**
 * A task from `{ 'service:EventName': weight }`.
 * @example task('check-logs', 'console', [4, 20], 25, { 'logs:FilterLogEvents': 3, 'logs:GetLogEvents': 2 })
 */
export function task(
  name: string,
  channel: Channel,
  size: readonly [number, number],
  gapSeconds: number,
  calls: Record<string, number>,
  options: TaskOptions = {},
): Task {
  return {
    name,
    channel,
    size,
    gapSeconds,
    calls: new WeightedChoice(Object.entries(calls).map(([key, weight]) => [apiCall(key), weight] as const)),
    ...(options.opening ? { opening: options.opening.map(apiCall) } : {}),
    ...(options.buckets ? { buckets: options.buckets } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.sweepRegions ? { sweepRegions: options.sweepRegions } : {}),
  };
}

/** Weighted tasks. */
export const tasks = (...entries: readonly (readonly [Task, number])[]): WeightedChoice<Task> => new WeightedChoice(entries);
