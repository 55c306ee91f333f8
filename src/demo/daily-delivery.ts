/**
 * The log files of one day of the range, from nothing but the generation parameters.
 *
 * This is the unit of work handed to worker threads: any day can be produced alone, in any
 * order, on any thread, and its bytes depend only on (seed, accounts, eventsPerDay, range, day).
 */
import type { Actor } from './activity.js';
import { DayActivity } from './activity.js';
import { createCast, eventsPerShare } from './cast.js';
import { LogFileAssembler, type DeliveredLogFile } from './delivery.js';
import type { GeneratedRecord } from './event-recorder.js';
import { plantIncidents, type IncidentAnswers } from './incidents.js';
import { DAY_MS } from './schedule.js';
import { createWorld, type World } from './world.js';

export interface GenerationPlan {
  readonly seed: string;
  readonly accounts: number;
  readonly eventsPerDay: number;
  /** Days since the epoch of the first day. */
  readonly firstDay: number;
  readonly days: number;
}

/**
 * Session sign-ins, AssumeRole and KMS calls made on a caller's behalf come on top of each
 * actor's budget; budgets are scaled down by their measured share so a day averages
 * `eventsPerDay` records.
 */
const SESSION_OVERHEAD = 1.11;

export class DailyDelivery {
  readonly world: World;
  readonly answers: IncidentAnswers;
  private readonly cast: readonly Actor[];
  private readonly perShare: number;
  private readonly planted = new Map<number, GeneratedRecord[]>();

  constructor(readonly plan: GenerationPlan) {
    this.world = createWorld(plan.seed, plan.accounts);
    this.cast = createCast(this.world);
    this.perShare = eventsPerShare(this.cast, plan.eventsPerDay) / SESSION_OVERHEAD;
    const incidents = plantIncidents(this.world, plan.firstDay, plan.days);
    this.answers = incidents.answers;
    for (const r of incidents.records) {
      const day = Math.floor(r.time / DAY_MS);
      let list = this.planted.get(day);
      if (!list) this.planted.set(day, (list = []));
      list.push(r);
    }
  }

  /** The log files of the `index`-th day of the range, and how many records they hold. */
  deliver(index: number): { files: DeliveredLogFile[]; events: number } {
    const day = this.plan.firstDay + index;
    const assembler = new LogFileAssembler(this.world, day);
    for (const r of this.planted.get(day) ?? []) assembler.addText(r);
    new DayActivity(this.world, day, assembler).run(this.cast, this.perShare, (start) => assembler.flushBefore(start));
    return { files: assembler.finish(), events: assembler.records };
  }
}
