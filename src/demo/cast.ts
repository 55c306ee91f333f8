/**
 * Everyone who calls AWS in the demo organization: its people, the occasional root sign-in,
 * and its automation. Built from the world alone, so every thread builds the same cast.
 */
import type { Actor } from './activity.js';
import { personActor, rootActor } from './actors/people.js';
import { workloadActors } from './actors/workloads.js';
import type { World } from './world.js';

export function createCast(world: World): Actor[] {
  return [...world.directory.people.map((p) => personActor(world, p)), rootActor(world), ...workloadActors(world)];
}

/** Events of an average day per unit of actor share, for a target number of events per day. */
export function eventsPerShare(cast: readonly Actor[], eventsPerDay: number): number {
  const total = cast.reduce((sum, a) => sum + a.share, 0);
  return eventsPerDay / total;
}
