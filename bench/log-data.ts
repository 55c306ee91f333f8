/**
 * The bench's CloudTrail logs: made once per size by the demo generator and cached outside
 * the repo (`${XDG_CACHE_HOME:-~/.cache}/trailscope-bench/<size>-<seed>-v<N>/logs`), because
 * generating M or L takes longer than most measurements. A marker file, written last, says a
 * generation finished: a killed one leaves no marker and is done again from scratch.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runChildToEnd, REPO_ROOT } from './child-process.js';
import type { GenerateRequest, GenerateValue } from './children/generate-child.js';

export type BenchSize = 'XS' | 'S' | 'M' | 'L';
export const BENCH_SIZES: readonly BenchSize[] = ['XS', 'S', 'M', 'L'];

export interface DataSpec {
  readonly days: number;
  readonly eventsPerDay: number;
  /** Accounts in the organization; the generator's default (3) when absent. */
  readonly accounts?: number;
}

/** Days of an organization trail and events per day, as the issue sizes them. */
export const SIZE_SPECS: Readonly<Record<BenchSize, DataSpec>> = {
  XS: { days: 2, eventsPerDay: 2_500 },
  S: { days: 10, eventsPerDay: 10_000 },
  M: { days: 30, eventsPerDay: 33_000 },
  L: { days: 30, eventsPerDay: 333_000 },
};

/** Bump when what the bench asks of the generator changes, so old caches are not reused. */
export const DATA_VERSION = 1;
export const DATA_SEED = 'trailscope-bench';
/** The first day of every data set (UTC). A fixed past month, so queries name fixed dates. */
export const DATA_START = '2024-03-01';

/**
 * An organization trail of many accounts: each account and region is a partition of its own
 * every day, so this one has many small partitions, where the sizes have a few large ones.
 */
export function manyAccountsSpec(accounts: number): DataSpec {
  return { days: 3, eventsPerDay: 20_000, accounts };
}

export interface GeneratedLogs {
  /** The folder holding `AWSLogs/…`. */
  readonly logsDir: string;
  /** Every UTC day of events, `YYYY-MM-DD`, first to last. */
  readonly days: readonly string[];
  readonly logFiles: number;
  readonly digestFiles: number;
  readonly events: number;
  /** Bytes of the gzip files as stored. */
  readonly bytes: number;
  readonly generatedSeconds: number;
  /** Hash of src/demo/ when the data was made: a different one means the generator changed since. */
  readonly generatorHash: string;
}

export interface LogData extends GeneratedLogs {
  readonly size: BenchSize;
}

export function defaultDataRoot(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'trailscope-bench');
}

/** The cached logs of `size`, generating them first if there is no finished generation. */
export async function ensureLogData(size: BenchSize, dataRoot: string, log: (line: string) => void): Promise<LogData> {
  return { ...(await ensureGenerated(size, SIZE_SPECS[size], dataRoot, log, size === 'L')), size };
}

/** The cached logs of an organization of `accounts` accounts (`manyAccountsSpec`). */
export function ensureManyAccountsData(accounts: number, dataRoot: string, log: (line: string) => void): Promise<GeneratedLogs> {
  return ensureGenerated(`accounts${accounts}`, manyAccountsSpec(accounts), dataRoot, log, false);
}

async function ensureGenerated(
  name: string,
  spec: DataSpec,
  dataRoot: string,
  log: (line: string) => void,
  echo: boolean,
): Promise<GeneratedLogs> {
  const dir = join(dataRoot, `${name}-${DATA_SEED}-v${DATA_VERSION}`);
  const marker = join(dir, 'complete.json');
  const generatorHash = await demoSourceHash();
  try {
    const data = JSON.parse(await readFile(marker, 'utf8')) as GeneratedLogs;
    if (data.generatorHash !== generatorHash) {
      log(`  note: src/demo/ changed since the ${name} data was generated; delete ${dir} (or bump DATA_VERSION) to regenerate`);
    }
    return data;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const logsDir = join(dir, 'logs');
  const accounts = spec.accounts ? `, ${spec.accounts} accounts` : '';
  log(`  generating ${name}: ${spec.days} days × ${spec.eventsPerDay.toLocaleString('en-US')} events/day${accounts} into ${logsDir}`);
  const outcome = await runChildToEnd<GenerateRequest, GenerateValue>(
    'generate-child',
    {
      dir: logsDir,
      days: spec.days,
      eventsPerDay: spec.eventsPerDay,
      seed: DATA_SEED,
      start: DATA_START,
      ...(spec.accounts ? { accounts: spec.accounts } : {}),
    },
    { echo },
  );
  const g = outcome.value;
  const data: GeneratedLogs = {
    logsDir,
    days: dayRange(DATA_START, spec.days),
    logFiles: g.files,
    digestFiles: g.digestFiles,
    events: g.events,
    bytes: g.bytes,
    generatedSeconds: g.seconds,
    generatorHash,
  };
  await writeFile(marker, JSON.stringify(data, null, 2));
  return data;
}

/** `count` consecutive UTC days from `first`. */
export function dayRange(first: string, count: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

async function demoSourceHash(): Promise<string> {
  const root = join(REPO_ROOT, 'src', 'demo');
  const hash = createHash('sha256');
  let names: string[];
  try {
    names = (await readdir(root, { recursive: true })).filter((n) => n.endsWith('.ts')).sort();
  } catch {
    return 'none';
  }
  for (const name of names) hash.update(name).update(await readFile(join(root, name)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The log files (not digests) under `logsDir`, sorted: what a DuckDB user would hand to
 * `read_json`, and what the floor reads.
 */
/**
 * Reads every file once, so that each measurement starts with the files in the page cache:
 * whatever ran before (an L run, another size) may have pushed them out, and the first
 * ingest would then pay for the disk where the baseline and the floor after it would not.
 * Logs how long it took (slow means they were not cached).
 */
export async function warmPageCache(files: readonly string[], log: (line: string) => void): Promise<void> {
  const started = performance.now();
  let next = 0;
  const reader = async () => {
    for (let i = next++; i < files.length; i = next++) await readFile(files[i]!);
  };
  await Promise.all(Array.from({ length: 8 }, reader));
  log(`  read once into the page cache in ${((performance.now() - started) / 1000).toFixed(2)} s`);
}

export async function listLogFiles(logsDir: string): Promise<string[]> {
  const names = await readdir(logsDir, { recursive: true });
  return names
    .filter((n) => n.endsWith('.json.gz') && !n.includes('CloudTrail-Digest'))
    .map((n) => join(logsDir, n))
    .sort();
}
