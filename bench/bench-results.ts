/**
 * The shape of one bench run's figures: what `benchmarks.json` holds and what the Markdown
 * report and `--compare` read. Times are seconds, sizes bytes, memory MiB, throughout.
 */
import type { BenchSize } from './log-data.js';
import type { Measured } from './measured.js';
import type { QueryParameters } from './query-set.js';

export const RESULTS_VERSION = 1;

export interface MachineInfo {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryBytes: number;
  readonly os: string;
  readonly node: string;
  readonly duckdb: string;
  readonly duckdbNodeApi: string;
  readonly commit: string | null;
  readonly date: string;
}

/** A measurement that may not have finished: killed at its timeout, failed, or not run. */
export type Outcome<T> =
  | ({ readonly outcome: 'ok' } & T)
  | { readonly outcome: 'timeout'; readonly timeoutSeconds: number }
  | { readonly outcome: 'failed'; readonly error: string }
  | { readonly outcome: 'skipped'; readonly why: string };

export interface DataFigures {
  readonly days: number;
  readonly firstDay: string;
  readonly lastDay: string;
  readonly events: number;
  readonly logFiles: number;
  readonly digestFiles: number;
  /** Gzip bytes of the log files (digests not included). */
  readonly bytes: number;
  readonly uncompressedBytes: number;
}

export interface IngestFigures {
  readonly runs: number;
  readonly events: number;
  readonly files: number;
  readonly seconds: Measured;
  readonly eventsPerSecond: Measured;
  /** Uncompressed JSON MB (10^6 bytes) per second. */
  readonly mbPerSecond: Measured;
  readonly filesPerSecond: Measured;
  readonly peakRssMiB: Measured;
  readonly cpuSeconds: Measured;
  readonly timings: { readonly list: Measured; readonly read: Measured; readonly merge: Measured };
}

export type BaselineIngestFigures = Outcome<{
  readonly seconds: number;
  readonly rows: number;
  readonly threads: number;
  readonly peakRssMiB: number;
}>;

export interface FloorFigures {
  readonly runs: number;
  /** Read + gunzip, one thread. */
  readonly gunzipSeconds: Measured;
  /** Read + gunzip + decode + JSON.parse, one thread. */
  readonly parseSeconds: Measured;
  readonly readSeconds: Measured;
  readonly events: number;
  /** Gzip bytes of the log files, and their JSON uncompressed. */
  readonly bytes: number;
  readonly uncompressedBytes: number;
}

export interface IncrementalFigures {
  readonly runs: number;
  readonly lastDay: string;
  /** Events in the lake before the new day arrives. */
  readonly baseEvents: number;
  readonly newFiles: number;
  readonly newEvents: number;
  /** Ingesting with no filter into the lake of every other day: only the new day's files are read. */
  readonly intoLakeSeconds: Measured;
  /** Ingesting only the new day into an empty lake. */
  readonly aloneSeconds: Measured;
  /** intoLake / alone, per run. */
  readonly ratio: Measured;
}

/**
 * `same count` is the best a query can get whose rows are not determined (a LIMIT that cuts
 * through ties): either engine may return any of the tied rows.
 */
export type RowsCheck = 'match' | 'same count' | 'same count, other values' | 'count differs' | 'not compared';

export interface QueryFigures {
  readonly id: string;
  readonly title: string;
  readonly seed?: string;
  readonly athena: string;
  readonly duckdb: string;
  readonly ours: Outcome<{
    readonly rows: number;
    readonly warmSeconds: Measured;
    readonly coldSeconds: Measured;
    /** The first run in a fresh process, after the lake is opened. */
    readonly firstSeconds: number;
    /** Importing trailscope's SQL layer and DuckDB, then opening a session on the lake (the warm process). */
    readonly loadSeconds: number;
    readonly openSeconds: number;
    /** Bytes the process read during the first run (`rchar`). */
    readonly readBytes: number | null;
    /** The product's own "data scanned" for the query. */
    readonly scannedBytes: number | null;
    readonly peakRssMiB: number;
    /** Order-insensitive fingerprint of the rows (row-digest.ts), to compare with the baseline and with later runs. */
    readonly digest: string;
  }>;
  readonly baseline: Outcome<{
    readonly seconds: number;
    readonly rows: number;
    readonly readBytes: number | null;
    readonly digest: string;
  }>;
  readonly rowsCheck: RowsCheck;
}

export interface BigFileFigures {
  readonly bytes: number;
  readonly records: number;
  readonly ingest: Outcome<{ readonly seconds: number; readonly events: number; readonly peakRssMiB: number }>;
}

/** An organization trail of many accounts (`manyAccountsSpec`), ingested once into an empty lake. */
export interface ManyAccountsFigures {
  readonly accounts: number;
  readonly days: number;
  readonly events: number;
  readonly logFiles: number;
  /** Partitions (account, region, day) in the lake afterwards: one Parquet file each. */
  readonly partitions: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly peakRssMiB: number;
  readonly cpuSeconds: number;
  readonly timings: { readonly list: number; readonly read: number; readonly merge: number };
}

export interface SizeResults {
  readonly size: BenchSize;
  readonly data: DataFigures;
  readonly ingest: IngestFigures;
  readonly baseline: BaselineIngestFigures;
  readonly floor: FloorFigures;
  readonly incremental: Outcome<IncrementalFigures>;
  readonly parameters: QueryParameters;
  readonly queries: readonly QueryFigures[];
}

export type TargetStatus = 'met' | 'missed' | 'not measured';

export interface TargetResult {
  readonly id: string;
  readonly target: string;
  /** The size it was judged on (a smaller one than the target names, when that was not run). */
  readonly size: BenchSize | null;
  readonly measured: string;
  readonly status: TargetStatus;
  readonly note?: string;
}

export interface BenchResults {
  readonly version: typeof RESULTS_VERSION;
  readonly machine: MachineInfo;
  readonly command: string;
  readonly runs: number;
  /** DuckDB threads of the baselines; null: DuckDB's default (one per core). */
  readonly baselineThreads: number | null;
  readonly sizes: readonly SizeResults[];
  readonly bigFile: Outcome<BigFileFigures>;
  /** Absent in runs made before it was measured. */
  readonly manyAccounts?: Outcome<ManyAccountsFigures>;
  readonly targets: readonly TargetResult[];
}
