/**
 * The log files of one day of the range, from nothing but the generation parameters.
 *
 * This is the unit of work handed to worker threads: any day can be produced alone, in any
 * order, on any thread, and its bytes depend only on (seed, accounts, eventsPerDay, range, day).
 */
import type { Actor } from './activity.js';
import { DayActivity } from './activity.js';
import { createCast, eventsPerShare } from './cast.js';
import { LogFileAssembler, type DeliveredLogFile, type LogFileFacts } from './delivery.js';
import type { GeneratedRecord } from './event-recorder.js';
import type { FolderSink } from './folder-sink.js';
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

/** A day's log files: with their bytes, or only their facts once written to a folder. */
export interface DeliveredDay {
  readonly index: number;
  readonly files: readonly (DeliveredLogFile | LogFileFacts)[];
  readonly events: number;
}

/** The facts of a file, without its bytes. */
const factsOf = (f: DeliveredLogFile): LogFileFacts => ({
  key: f.key,
  account: f.account,
  region: f.region,
  deliveredAt: f.deliveredAt,
  size: f.size,
  sha256: f.sha256,
  oldestEventTime: f.oldestEventTime,
  newestEventTime: f.newestEventTime,
  records: f.records,
});

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

  /**
   * The log files of the `index`-th day of the range, and how many records they hold. With a
   * folder, each file is written there as soon as it is complete and only its facts are kept:
   * its bytes die young instead of crowding the heap until the day is over.
   */
  deliver(index: number, folder?: FolderSink): DeliveredDay {
    const day = this.plan.firstDay + index;
    const files: (DeliveredLogFile | LogFileFacts)[] = [];
    const assembler = new LogFileAssembler(
      this.world,
      day,
      folder
        ? (file) => {
            folder.writeNow(file.key, file.bytes);
            files.push(factsOf(file));
          }
        : (file) => void files.push(file),
    );
    for (const r of this.planted.get(day) ?? []) assembler.addText(r);
    new DayActivity(this.world, day, assembler).run(this.cast, this.perShare, (start) => assembler.flushBefore(start));
    assembler.finish();
    return { index, files, events: assembler.records };
  }
}
