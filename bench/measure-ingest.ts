/**
 * Ingest figures for one data set: trailscope's `ingest()`, the hand-written DuckDB
 * baseline, the gunzip(+parse) floor, and an incremental day. Every run is its own child
 * process (peak RSS is that run's) and every run of ours starts from an empty lake.
 */
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  BaselineIngestFigures,
  BigFileFigures,
  FloorFigures,
  IncrementalFigures,
  IngestFigures,
  ManyAccountsFigures,
  Outcome,
} from './bench-results.js';
import { runChild, runChildToEnd } from './child-process.js';
import type { BigLogFileRequest, BigLogFileValue } from './children/big-log-file-child.js';
import type { DuckDbCopyRequest, DuckDbCopyValue } from './children/duckdb-copy-child.js';
import type { FloorRequest, FloorValue } from './children/floor-child.js';
import type { IngestRequest, IngestValue } from './children/ingest-child.js';
import { addDays, ensureManyAccountsData, listLogFiles, manyAccountsSpec, warmPageCache, type LogData } from './log-data.js';
import { measured, type Measured } from './measured.js';

export interface IngestContext {
  readonly data: LogData;
  /** JSON file listing the data's log files (not digests). */
  readonly fileList: string;
  readonly workDir: string;
  readonly runs: number;
  readonly log: (line: string) => void;
}

const MiB = 1024;
const fmt = (s: number) => `${s.toFixed(2)} s`;

/**
 * One ingest in a child; returns the child's value and resources. A hung ingest is stopped
 * after a generous time for the data's size (1,000 events/s, plus five minutes).
 */
export async function ingestOnce(request: IngestRequest, events: number) {
  const outcome = await runChildToEnd<IngestRequest, IngestValue>('ingest-child', request, {
    timeoutSeconds: 300 + Math.ceil(events / 1000),
  });
  const v = outcome.value;
  if (v.filesRejected || v.rejectedRecords) {
    throw new Error(
      `ingest rejected ${v.filesRejected} files and ${v.rejectedRecords} records of generated data: a bug in the generator or in ingest`,
    );
  }
  return outcome;
}

/** `runs` full ingests, each into an empty lake; the last lake is kept for the queries. */
export async function measureIngest(ctx: IngestContext): Promise<{ figures: IngestFigures; lake: string }> {
  const lake = join(ctx.workDir, `${ctx.data.size}-lake`);
  const runs: Array<Awaited<ReturnType<typeof ingestOnce>>> = [];
  for (let i = 0; i < ctx.runs; i++) {
    await rm(lake, { recursive: true, force: true });
    const run = await ingestOnce({ lake, sources: [ctx.data.logsDir] }, ctx.data.events);
    ctx.log(
      `  ingest ${i + 1}/${ctx.runs}: ${fmt(run.value.seconds)}, ${run.value.events.toLocaleString('en-US')} events, peak RSS ${Math.round(run.maxRssKiB / MiB)} MiB`,
    );
    runs.push(run);
  }
  const last = runs[runs.length - 1]!.value;
  const of = (f: (r: (typeof runs)[number]) => number): Measured => measured(runs.map(f));
  return {
    lake,
    figures: {
      runs: runs.length,
      events: last.events,
      files: last.filesIngested,
      seconds: of((r) => r.value.seconds),
      eventsPerSecond: of((r) => r.value.events / r.value.seconds),
      mbPerSecond: of((r) => r.value.uncompressedBytes / 1e6 / r.value.seconds),
      filesPerSecond: of((r) => r.value.filesIngested / r.value.seconds),
      peakRssMiB: of((r) => r.maxRssKiB / MiB),
      cpuSeconds: of((r) => r.userCpuSeconds + r.systemCpuSeconds),
      timings: {
        list: of((r) => r.value.timings.list),
        read: of((r) => r.value.timings.read),
        merge: of((r) => r.value.timings.merge),
      },
    },
  };
}

/** `read_json` + `unnest(Records)` + `COPY TO parquet`, once (it is slow), with a timeout. */
export async function measureBaselineIngest(
  ctx: IngestContext,
  timeoutSeconds: number,
  threads: number | undefined,
): Promise<BaselineIngestFigures> {
  const out = join(ctx.workDir, `${ctx.data.size}-duckdb-baseline.parquet`);
  try {
    const outcome = await runChild<DuckDbCopyRequest, DuckDbCopyValue>(
      'duckdb-copy-child',
      { fileList: ctx.fileList, out, ...(threads ? { threads } : {}) },
      { timeoutSeconds },
    );
    if (outcome.kind === 'timeout') {
      ctx.log(`  DuckDB read_json + COPY: > ${timeoutSeconds} s (stopped)`);
      return { outcome: 'timeout', timeoutSeconds };
    }
    const v = outcome.value;
    ctx.log(
      `  DuckDB read_json + COPY: ${fmt(v.seconds)} with ${v.threads} thread${v.threads === 1 ? '' : 's'}, ${v.rows.toLocaleString('en-US')} rows`,
    );
    return { outcome: 'ok', seconds: v.seconds, rows: v.rows, threads: v.threads, peakRssMiB: outcome.maxRssKiB / MiB };
  } catch (e) {
    ctx.log(`  DuckDB read_json + COPY failed: ${(e as Error).message.split('\n')[0]}`);
    return { outcome: 'failed', error: (e as Error).message.slice(0, 2000) };
  } finally {
    await rm(out, { force: true });
  }
}

export async function measureFloor(ctx: IngestContext): Promise<FloorFigures> {
  const runs: FloorValue[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    runs.push(
      (
        await runChildToEnd<FloorRequest, FloorValue>(
          'floor-child',
          { fileList: ctx.fileList },
          { timeoutSeconds: 300 + Math.ceil(ctx.data.events / 1000) },
        )
      ).value,
    );
  }
  const of = (f: (r: FloorValue) => number) => measured(runs.map(f));
  const figures: FloorFigures = {
    runs: runs.length,
    readSeconds: of((r) => r.readSeconds),
    gunzipSeconds: of((r) => r.readSeconds + r.gunzipSeconds),
    parseSeconds: of((r) => r.readSeconds + r.gunzipSeconds + r.parseSeconds),
    events: runs[0]!.events,
    bytes: runs[0]!.bytes,
    uncompressedBytes: runs[0]!.uncompressedBytes,
  };
  ctx.log(`  floor (1 thread): read+gunzip ${fmt(figures.gunzipSeconds.median)}, +parse ${fmt(figures.parseSeconds.median)}`);
  return figures;
}

/**
 * The last day arriving in a lake of all the others, against that day alone into an empty
 * lake. Both read the same files: those delivered on or after the last day (a few of the
 * last day's events are delivered after midnight).
 */
export async function measureIncremental(ctx: IngestContext): Promise<Outcome<IncrementalFigures>> {
  try {
    return await incremental(ctx);
  } catch (e) {
    ctx.log(`  !!! incremental ingest FAILED: ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`);
    return { outcome: 'failed', error: (e as Error).message.slice(0, 2000) };
  }
}

async function incremental(ctx: IngestContext): Promise<Outcome<IncrementalFigures>> {
  const days = ctx.data.days;
  if (days.length < 2) return { outcome: 'skipped', why: 'one day of data' };
  const lastDay = days[days.length - 1]!;
  const base = join(ctx.workDir, `${ctx.data.size}-incremental-base`);
  const lake = join(ctx.workDir, `${ctx.data.size}-incremental`);
  const alone = join(ctx.workDir, `${ctx.data.size}-incremental-alone`);
  await rm(base, { recursive: true, force: true });
  const baseRun = await ingestOnce({ lake: base, sources: [ctx.data.logsDir], filter: { until: addDays(lastDay, -1) } }, ctx.data.events);
  const into: IngestValue[] = [];
  const single: IngestValue[] = [];
  try {
    for (let i = 0; i < ctx.runs; i++) {
      await rm(lake, { recursive: true, force: true });
      await cp(base, lake, { recursive: true });
      into.push((await ingestOnce({ lake, sources: [ctx.data.logsDir] }, ctx.data.events)).value);
      await rm(alone, { recursive: true, force: true });
      single.push((await ingestOnce({ lake: alone, sources: [ctx.data.logsDir], filter: { since: lastDay } }, ctx.data.events)).value);
      ctx.log(`  incremental ${i + 1}/${ctx.runs}: into the lake ${fmt(into[i]!.seconds)}, alone ${fmt(single[i]!.seconds)}`);
    }
  } finally {
    for (const dir of [base, lake, alone]) await rm(dir, { recursive: true, force: true });
  }
  if (into[0]!.events !== single[0]!.events) {
    ctx.log(`  WARNING: the new day added ${into[0]!.events} events to the lake but ${single[0]!.events} to an empty lake`);
  }
  return {
    outcome: 'ok',
    runs: into.length,
    lastDay,
    baseEvents: baseRun.value.events,
    newFiles: into[0]!.filesIngested,
    newEvents: into[0]!.events,
    intoLakeSeconds: measured(into.map((r) => r.seconds)),
    aloneSeconds: measured(single.map((r) => r.seconds)),
    ratio: measured(into.map((r, i) => r.seconds / single[i]!.seconds)),
  };
}

/**
 * One plain `.json` log file of `targetBytes` (uncompressed), made from generated records,
 * ingested alone into an empty lake. It passes when ingest finishes (no out-of-memory).
 */
export async function measureBigLogFile(
  fileList: string,
  workDir: string,
  targetBytes: number,
  log: (line: string) => void,
): Promise<Outcome<BigFileFigures>> {
  const file = join(workDir, 'big', 'one-big-log-file.json');
  const lake = join(workDir, 'big-lake');
  await rm(join(workDir, 'big'), { recursive: true, force: true });
  await mkdir(join(workDir, 'big'), { recursive: true });
  try {
    const made = (
      await runChildToEnd<BigLogFileRequest, BigLogFileValue>(
        'big-log-file-child',
        { fileList, out: file, targetBytes },
        { timeoutSeconds: 900 },
      )
    ).value;
    log(`  one log file of ${(made.bytes / 1e6).toFixed(0)} MB, ${made.records.toLocaleString('en-US')} records`);
    let ingest: BigFileFigures['ingest'];
    try {
      const run = await ingestOnce({ lake, sources: [file] }, made.records);
      ingest = { outcome: 'ok', seconds: run.value.seconds, events: run.value.events, peakRssMiB: run.maxRssKiB / MiB };
      log(`  ingested in ${fmt(run.value.seconds)}, peak RSS ${Math.round(run.maxRssKiB / MiB)} MiB`);
    } catch (e) {
      ingest = { outcome: 'failed', error: (e as Error).message.slice(-2000) };
      log(`  ingest FAILED: ${(e as Error).message.split('\n')[0]}`);
    }
    return { outcome: 'ok', bytes: made.bytes, records: made.records, ingest };
  } finally {
    await rm(join(workDir, 'big'), { recursive: true, force: true });
    await rm(lake, { recursive: true, force: true });
  }
}

/**
 * The organization trail of many accounts, ingested once into an empty lake: where the fixed
 * cost of writing each partition shows, as the sizes' few large partitions hide it.
 */
export async function measureManyAccounts(
  accounts: number,
  dataRoot: string,
  workDir: string,
  log: (line: string) => void,
): Promise<Outcome<ManyAccountsFigures>> {
  const lake = join(workDir, 'many-accounts-lake');
  try {
    const data = await ensureManyAccountsData(accounts, dataRoot, log);
    await warmPageCache(await listLogFiles(data.logsDir), log);
    await rm(lake, { recursive: true, force: true });
    const run = await ingestOnce({ lake, sources: [data.logsDir] }, data.events);
    const partitions = (await readdir(join(lake, 'data'), { recursive: true })).filter((n) => n.endsWith('.parquet')).length;
    const v = run.value;
    log(
      `  ${accounts} accounts: ${fmt(v.seconds)}, ${v.events.toLocaleString('en-US')} events into ${partitions} partitions, peak RSS ${Math.round(run.maxRssKiB / MiB)} MiB`,
    );
    return {
      outcome: 'ok',
      accounts,
      days: manyAccountsSpec(accounts).days,
      events: v.events,
      logFiles: v.filesIngested,
      partitions,
      seconds: v.seconds,
      eventsPerSecond: v.events / v.seconds,
      peakRssMiB: run.maxRssKiB / MiB,
      cpuSeconds: run.userCpuSeconds + run.systemCpuSeconds,
      timings: v.timings,
    };
  } catch (e) {
    log(`  !!! many accounts FAILED: ${(e as Error).message.split('\n')[0]}`);
    return { outcome: 'failed', error: (e as Error).message.slice(0, 2000) };
  } finally {
    await rm(lake, { recursive: true, force: true });
  }
}
