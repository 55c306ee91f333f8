/**
 * A day of the organization's activity: every actor's bursts planned from its schedule and
 * budget, then played into records.
 *
 * An actor is anyone or anything that calls AWS (a person, a Lambda function, CI, an AWS
 * service). A burst is one sitting: a person looking at a dashboard, a CI run, a cold start.
 * Planning a schedule day uses a generator seeded by (seed, actor, day) only, so every UTC day
 * sees the same plan for a local day it shares with its neighbours, and any day can be
 * generated alone (in any worker) with the same result.
 */
import type { LogFileAssembler } from './delivery.js';
import { apiCall, type ApiCall } from './event-catalog.js';
import { EventRecorder, type Caller, type RecordOptions } from './event-recorder.js';
import type { Bucket } from './inventory.js';
import type { Account } from './organization.js';
import { SeededRandom, type WeightedChoice } from './random.js';
import { burstStart, DAY_MS, dayFactor, type Schedule } from './schedule.js';
import type { World } from './world.js';

/** How a call is made, which decides the user agent. */
export type Channel = 'console' | 'cli' | 'sdk' | 'terraform' | 'service';

export interface Task {
  readonly name: string;
  readonly calls: WeightedChoice<ApiCall>;
  /** Calls made first, in order (a deploy logs in to ECR before pushing). */
  readonly opening?: readonly ApiCall[];
  readonly size: readonly [min: number, max: number];
  /** Mean seconds between two calls of a burst. */
  readonly gapSeconds: number;
  readonly channel: Channel;
  /** Buckets the task's S3 calls touch. */
  readonly buckets?: readonly Bucket[];
  /** Region of all the task's calls, overriding the actor's regions. */
  readonly region?: string;
  /** Regions visited in turn, one per call (scanners sweep every enabled region). */
  readonly sweepRegions?: readonly string[];
}

/** One way an actor works: an account, what it does there and where. */
export interface ActorRole {
  readonly account: Account;
  readonly label: string;
  readonly tasks: WeightedChoice<Task>;
  readonly regions: WeightedChoice<string>;
}

export interface Burst {
  readonly actor: Actor;
  readonly role: ActorRole;
  readonly task: Task;
  /** The schedule day (a local day for people) the burst was planned for. */
  readonly day: number;
  readonly start: number;
  readonly size: number;
  readonly region: string;
  /** A number fixed at planning that actors use for per-burst choices (which key, which address). */
  readonly variant: number;
  /** The first burst of its session that day: the session's sign-in or AssumeRole is recorded first. */
  opensSession: boolean;
  /** When the session's first burst starts: its credentials date from just before. */
  sessionStart: number;
}

export interface Actor {
  readonly key: string;
  /** Share of the organization's events on an average day (relative to the other actors). */
  readonly share: number;
  readonly schedule: Schedule;
  readonly roles: WeightedChoice<ActorRole>;
  readonly errorRate: number;
  /** Bursts with the same session key share credentials (one sign-in, one AssumeRole). */
  sessionKey(burst: Burst): string;
  /** Who makes the burst's calls; records the session's opening events when `burst.opensSession`. */
  caller(burst: Burst, day: DayActivity): Caller;
}

/** The follow-up call an AWS service makes on the caller's behalf (S3 and Secrets Manager call KMS). */
const KMS_DECRYPT = apiCall('kms:Decrypt');
const KMS_GENERATE_DATA_KEY = apiCall('kms:GenerateDataKey');

/** Plans one schedule day of an actor. `eventsPerShare`: events of an average day per unit of share. */
export function planDay(seed: string, actor: Actor, day: number, eventsPerShare: number): Burst[] {
  const rng = SeededRandom.from(seed, 'plan', actor.key, day);
  const schedule = actor.schedule;
  if (schedule.kind === 'office' && rng.chance(0.06)) return [];
  const expected = actor.share * eventsPerShare * dayFactor(schedule, day) * rng.around(1, 0.25);
  let budget = Math.floor(expected) + (rng.next() < expected % 1 ? 1 : 0);
  const bursts: Burst[] = [];
  const add = (start: number, role: ActorRole, task: Task, size: number): void => {
    bursts.push({
      actor,
      role,
      task,
      day,
      start,
      size,
      region: role.regions.pick(rng),
      variant: rng.uint32(),
      opensSession: false,
      sessionStart: start,
    });
  };
  if (schedule.kind === 'periodic') {
    const runs = Math.floor((24 * 60) / schedule.everyMinutes);
    for (let i = 0; i < runs && budget > 0; i++) {
      const share = budget / (runs - i);
      const size = Math.floor(share) + (rng.next() < share % 1 ? 1 : 0);
      if (size > 0) {
        const role = actor.roles.pick(rng);
        add(burstStart(schedule, day, i, runs, rng), role, role.tasks.pick(rng), size);
      }
      budget -= size;
    }
  } else if (schedule.kind === 'nightly') {
    const runs = schedule.utcMinutes.length;
    for (let i = 0; i < runs && budget > 0; i++) {
      let left = Math.ceil(budget / (runs - i));
      budget -= left;
      let start = burstStart(schedule, day, i, runs, rng);
      while (left > 0) {
        const role = actor.roles.pick(rng);
        const task = role.tasks.pick(rng);
        const size = Math.min(left, rng.between(task.size[0], task.size[1]));
        add(start, role, task, size);
        left -= size;
        start += size * 1_500 + rng.int(30_000);
      }
    }
  } else {
    let index = 0;
    while (budget > 0) {
      const role = actor.roles.pick(rng);
      const task = role.tasks.pick(rng);
      const size = Math.min(budget, rng.between(task.size[0], task.size[1]));
      add(burstStart(schedule, day, index++, 0, rng), role, task, size);
      budget -= size;
    }
  }
  bursts.sort((a, b) => a.start - b.start);
  const opened = new Map<string, number>();
  for (const b of bursts) {
    const key = actor.sessionKey(b);
    const first = opened.get(key);
    if (first === undefined) {
      opened.set(key, b.start);
      b.opensSession = true;
    } else {
      b.sessionStart = first;
    }
  }
  return bursts;
}

/**
 * The records of one UTC day (days since the epoch), made by every actor.
 *
 * Bursts are played in start order, so the records of a five-minute period are complete once
 * a burst starts after it: `beforeBurst` lets delivery write those files right away, so only a
 * few minutes of records are ever held in memory.
 */
export class DayActivity {
  readonly rng: SeededRandom;
  readonly recorder: EventRecorder;
  /** Per-day memo for actors: sessions, callers, identity texts. */
  readonly memo = new Map<string, unknown>();
  readonly start: number;

  constructor(
    readonly world: World,
    readonly day: number,
    files: LogFileAssembler,
  ) {
    this.rng = SeededRandom.from(world.seed, 'activity', day);
    this.recorder = new EventRecorder(world, this.rng, files);
    this.start = day * DAY_MS;
  }

  /** Plans every actor's bursts that start this UTC day and plays them in start order. */
  run(actors: readonly Actor[], eventsPerShare: number, beforeBurst: (start: number) => void): void {
    const end = this.start + DAY_MS;
    const bursts: Burst[] = [];
    for (const actor of actors) {
      const days = actor.schedule.kind === 'office' ? [this.day - 1, this.day, this.day + 1] : [this.day];
      for (const d of days) {
        for (const burst of planDay(this.world.seed, actor, d, eventsPerShare)) {
          if (burst.start >= this.start && burst.start < end) bursts.push(burst);
        }
      }
    }
    bursts.sort((a, b) => a.start - b.start);
    for (const burst of bursts) {
      beforeBurst(burst.start);
      this.play(burst);
    }
  }

  /** A value computed once per day under a key (an actor's session caller). */
  remember<T>(key: string, make: () => T): T {
    let v = this.memo.get(key) as T | undefined;
    if (v === undefined) {
      v = make();
      this.memo.set(key, v);
    }
    return v;
  }

  private play(burst: Burst): void {
    const { actor, task, role } = burst;
    const rng = this.rng;
    const caller = actor.caller(burst, this);
    let time = burst.start;
    const opening = task.opening ?? [];
    const plain: RecordOptions = { errorRate: actor.errorRate };
    const inBucket = { errorRate: actor.errorRate, bucket: undefined as Bucket | undefined };
    for (let i = 0; i < burst.size; i++) {
      const call = i < opening.length ? opening[i]! : task.calls.pick(rng);
      const region = task.sweepRegions ? task.sweepRegions[i % task.sweepRegions.length]! : (task.region ?? burst.region);
      const bucket = task.buckets && call.eventSource === 's3.amazonaws.com' ? this.bucketFor(task.buckets, call) : undefined;
      inBucket.bucket = bucket;
      this.recorder.record(caller, call, role.account, region, time, bucket ? inBucket : plain);
      if (caller.via && (bucket?.kmsKeyArn || call.eventName === 'GetSecretValue')) {
        if (bucket?.kmsKeyArn && (call.eventName === 'GetObject' || call.eventName === 'PutObject')) {
          this.recorder.record(
            caller.via('s3.amazonaws.com'),
            call.eventName === 'GetObject' ? KMS_DECRYPT : KMS_GENERATE_DATA_KEY,
            role.account,
            bucket.region,
            time,
            { error: null },
          );
        } else if (call.eventName === 'GetSecretValue' && rng.chance(0.7)) {
          this.recorder.record(caller.via('secretsmanager.amazonaws.com'), KMS_DECRYPT, role.account, region, time, { error: null });
        }
      }
      time += 250 + Math.floor(rng.exponential(task.gapSeconds * 1000));
    }
  }

  /** One of the task's buckets; data events only from buckets the trail logs data events of. */
  private bucketFor(buckets: readonly Bucket[], call: ApiCall): Bucket | undefined {
    if (!call.data) return this.rng.pick(buckets);
    const logged = buckets.filter((b) => b.dataEvents);
    return logged.length > 0 ? this.rng.pick(logged) : undefined;
  }
}

/** Minutes after midnight UTC, for nightly schedules. */
export const utc = (hours: number, minutes = 0): number => hours * 60 + minutes;
