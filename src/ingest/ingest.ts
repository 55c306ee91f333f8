/**
 * `ingest`: log files from any source into the lake, incrementally, losing nothing.
 *
 * For each source object: skip it when the manifest already has this version; otherwise
 * fetch it (bounded parallelism), and parse it on a worker, which appends its rows to its
 * own file in the transaction's staging folder. Every `batchBytes` of rows the batch is merged into its
 * partitions and committed, so a long ingest makes steady, crash-safe progress and a
 * killed one resumes where the last commit left off.
 *
 * @example
 * const summary = await ingest({ lake: './trailscope-lake', sources: ['./AWSLogs'] });
 * console.log(summary.events, summary.rejected);
 */
import { availableParallelism } from 'node:os';
import { looksLikeLogFileName, parseLogFileKey } from '../cloudtrail/log-file-key.js';
import { Engine } from '../engine/duckdb-engine.js';
import { failpoint } from '../lake/failpoint.js';
import { openLake, type LakeTransaction, type ReservedTransaction } from '../lake/lake.js';
import type { ManifestEntry } from '../lake/manifest.js';
import { MERGE_DISABLED_OPTIMIZERS, writePartitions } from '../lake/partition-writer.js';
import {
  checkedKeyFilter,
  type FolderListing,
  type KeyFilter,
  type ListingMemory,
  type LogSource,
  type SourceObject,
} from '../sources/log-source.js';
import { openSource } from '../sources/open-source.js';
import type { S3Options } from '../sources/s3-source.js';
import { EventIdTable } from './event-id-table.js';
import { LogFileParserPool } from './log-file-parser-pool.js';
import type { StagedOutcome } from './staged-rows-writer.js';

export interface IngestOptions {
  readonly lake: string;
  /** Paths, `s3://bucket/prefix`, `-`, or sources built by the caller. */
  readonly sources: ReadonlyArray<string | LogSource>;
  readonly filter?: KeyFilter;
  readonly s3?: S3Options;
  /** Parser threads; 0 parses on the main thread. Default: one per core. */
  readonly workers?: number;
  /** Objects fetched at once (S3 GETs or file reads). */
  readonly fetchConcurrency?: number;
  /** Characters of staged rows gathered before a batch is merged and committed. */
  readonly batchBytes?: number;
  /** Rows per Parquet row group (default 25,000). A partition larger than this is written sorted by eventtime. */
  readonly rowGroupRows?: number;
  /** DuckDB memory limit while merging, e.g. '2GB' (default 512MB; a partition that does not fit stops the run, naming it). */
  readonly memoryLimit?: string;
  /**
   * Look at every local file again, also in folders unchanged since the last run. A folder's
   * mtime shows files added, removed or renamed, not a file rewritten in place (CloudTrail
   * never rewrites a log file; a copy tool that does needs this to have its rows replaced).
   */
  readonly recheck?: boolean;
  readonly onProgress?: (progress: IngestProgress) => void;
}

export interface IngestProgress {
  readonly phase: 'listing' | 'reading' | 'merging';
  readonly filesTotal: number;
  readonly filesDone: number;
  readonly events: number;
  readonly bytes: number;
  readonly elapsedSeconds: number;
}

export interface FileProblem {
  readonly uri: string;
  readonly reason: string;
}

export interface IngestSummary {
  readonly files: {
    /** Objects listed that pass the filter. */
    readonly seen: number;
    readonly ingested: number;
    /** Not CloudTrail (digests, Config, empty, other JSON), by reason. */
    readonly skipped: number;
    readonly rejected: number;
    /** Already in the manifest with the same version: not read again. */
    readonly unchanged: number;
    /** Read again because their ETag/mtime changed; their earlier rows were replaced. */
    readonly replaced: number;
  };
  readonly skippedReasons: Record<string, number>;
  /** A few of the files skipped for a reason a user may not expect (JSON that is not CloudTrail), by reason. */
  readonly skippedExamples: Record<string, string[]>;
  /** Files that could not be read at all: nothing of them is in the lake. */
  readonly rejectedFiles: FileProblem[];
  /**
   * Files whose bytes could not be had this time (a fetch that failed after the SDK's retries,
   * a file not readable now): not recorded, so the next run reads them.
   */
  readonly unreadFiles: FileProblem[];
  /**
   * Files below the sources that an earlier run rejected and that are unchanged since, so still
   * not in the lake (a run that reads nothing new would otherwise say nothing of them).
   */
  readonly stillRejectedFiles: FileProblem[];
  /** Files ingested without some of their records (the rest are in the lake). */
  readonly filesWithRejectedRecords: Array<FileProblem & { readonly rejectedRecords: number }>;
  /** Records added to the lake. */
  readonly events: number;
  /** Records not added because the lake (or this run) already had their eventID. */
  readonly duplicates: number;
  readonly rejectedRecords: number;
  readonly withoutEventTime: number;
  /**
   * New files read whole although a filter was given: their keys are neither CloudTrail's
   * layout nor its file names (JSON lines exports, stdin), so they name no day, account or region.
   */
  readonly unfilteredFiles: number;
  /** Top-level fields no column holds, kept in `raw`: name → records. */
  readonly unknownFields: Record<string, number>;
  /** Bytes fetched (as stored, compressed or not). */
  readonly bytes: number;
  readonly uncompressedBytes: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly transactions: number;
  /** Seconds spent listing; fetching and parsing; merging into Parquet and committing. Reading and merging overlap (one batch merges while the next is read). */
  readonly timings: { readonly list: number; readonly read: number; readonly merge: number };
}

/** Rows gathered before a merge: bounds memory (DuckDB holds one batch) and the work a crash can lose. */
const DEFAULT_BATCH_BYTES = 256 * 1024 * 1024;
/**
 * DuckDB's share of memory while merging. Most partitions need a fraction of it; writing a
 * busy account's day (150,000+ events) takes 256–384 MB (256MB stops on a 76,000-event day).
 * The L benchmark's ingest (9.1M events) peaks at 884 MiB RSS with this; 384MB lowered it no
 * further when last tried: DuckDB's share is not what sets the peak.
 */
const DEFAULT_MEMORY_LIMIT = '512MB';
/**
 * DuckDB threads for merging. Two sessions already write two partitions at once, and on two
 * cores a second thread for each only competes with the parser threads: ingesting 10 days of
 * M took 7-10% longer, with 8% more CPU, given two (three runs each).
 */
function mergeThreads(workers: number | undefined): number {
  return availableParallelism() > 2 ? Math.max(1, Math.min(2, workers ?? 2)) : 1;
}

/** Objects fetched at once: enough to hide S3 latency and keep the parser threads fed. */
const DEFAULT_FETCH_CONCURRENCY = 16;

interface StagedPartition {
  /** Its place in `Batch.partitionList`. */
  number: number;
  files: Set<string>;
  rows: number;
  longest: number;
  chars: number;
  mayRepeat: boolean;
}

interface Batch {
  /** Its transaction's id and staging folder, known before the transaction starts. */
  id: string;
  staging: string;
  /** Starts when the batch before it commits (commitAndContinue), so this batch stages while that one merges. */
  tx: Promise<LakeTransaction>;
  /** Its files being fetched and parsed. */
  inFlight: Set<Promise<void>>;
  /** The batch's new rows by partition key, as the parser threads staged them. */
  partitions: Map<string, StagedPartition>;
  /** The same, in the order first staged: `eventIds` numbers them so. */
  partitionList: StagedPartition[];
  /** The partition of each eventID hash staged in the batch; dropped once the batch is read. */
  eventIds: EventIdTable | undefined;
  rowChars: number;
  manifest: ManifestEntry[];
  replaced: Map<string, readonly string[]>;
}

export async function ingest(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const lake = await openLake(options.lake);
  const filter = checkedKeyFilter(options.filter ?? {});
  const sources: LogSource[] = [];
  for (const s of options.sources) sources.push(typeof s === 'string' ? await openSource(s, options.s3) : s);

  const summary = new SummaryBuilder();
  const progress = (phase: IngestProgress['phase'], filesTotal: number) =>
    options.onProgress?.({
      phase,
      filesTotal,
      filesDone: summary.filesDone,
      events: summary.events,
      bytes: summary.bytes,
      elapsedSeconds: (performance.now() - started) / 1000,
    });

  progress('listing', 0);
  const lap = stopwatch();
  const known = await lake.manifest();
  const work: Array<{ source: LogSource; object: SourceObject }> = [];
  // Recorded with the run's last commit, when every file they hold has its entry.
  const listedFolders: FolderListing[] = [];
  const memory: ListingMemory = {
    folder: (uri) => (options.recheck ? undefined : known.folder(uri)),
    unchanged: (files) => {
      summary.seen += files;
      summary.unchanged += files;
    },
    listed: (listing) => {
      const before = known.folder(listing.folder);
      if (before?.mtime !== listing.mtime || before.files !== listing.files) listedFolders.push(listing);
    },
  };
  const filtering = Boolean(filter.since || filter.until || filter.accounts?.length || filter.regions?.length);
  for (const source of sources) {
    for await (const object of source.list(filter, memory)) {
      summary.seen++;
      if (known.hasVersion(object.uri, object.size, object.version)) summary.unchanged++;
      else {
        work.push({ source, object });
        if (filtering && parseLogFileKey(object.key).kind === 'other') summary.unfilteredFiles++;
      }
    }
  }

  summary.timings.list = lap();
  const readNow = new Set(work.map((w) => w.object.uri));
  for (const e of known.rejected(sources.map((s) => s.uri))) {
    if (!readNow.has(e.uri)) summary.stillRejected.push({ uri: e.uri, reason: e.reason ?? 'rejected' });
  }
  if (work.length === 0) {
    // Nothing to read: no parser threads or engine to start (a watch loop mostly runs this).
    // The transaction still begins: that finishes whatever a killed run left half done.
    const tx = await lake.begin();
    if (listedFolders.length) {
      await tx.commit({ added: [], replacedPartitions: new Set(), manifest: [], folders: listedFolders });
      summary.transactions++;
    } else {
      await tx.abort();
    }
    return summary.build((performance.now() - started) / 1000);
  }
  // The lake first: a locked or read-only lake fails here, before any parser thread starts
  // (a thread left running would keep the process alive after the error).
  const first = await lake.begin();
  const pool = new LogFileParserPool(options.workers);
  let engine: Engine;
  try {
    engine = await Engine.create({
      threads: mergeThreads(options.workers),
      memoryLimit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
      keepFreedMemory: true,
      spillFolderName: 'trailscope-ingest-spill',
      disabledOptimizers: MERGE_DISABLED_OPTIMIZERS,
    });
  } catch (e) {
    await Promise.all([pool.close(), first.abort().catch(() => {})]);
    throw e;
  }
  let batch: Batch = newBatch(first.id, first.staging, Promise.resolve(first));
  // The merge of the batch before `batch`, running while `batch` is read.
  let merging: Promise<void> = Promise.resolve();
  const readStarted = performance.now();
  try {
    const batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES;
    const concurrency = Math.max(1, options.fetchConcurrency ?? Math.max(DEFAULT_FETCH_CONCURRENCY, pool.capacity));
    const inFlight = new Set<Promise<void>>();
    const now = () => new Date().toISOString();

    const handle = async (b: Batch, source: LogSource, object: SourceObject) => {
      const entry = (status: ManifestEntry['status'], extra: Partial<ManifestEntry> = {}): ManifestEntry => ({
        uri: object.uri,
        size: object.size,
        version: object.version,
        status,
        records: 0,
        rejectedRecords: 0,
        partitions: [],
        transaction: b.id,
        at: now(),
        ...extra,
      });
      const kind = parseLogFileKey(object.key).kind;
      let fetchError = '';
      const previous = known.entry(object.uri);
      if (kind === 'digest' || kind === 'config') {
        summary.skip(kind === 'digest' ? 'CloudTrail digest file' : 'AWS Config file');
        b.manifest.push(entry('skipped', { reason: kind === 'digest' ? 'CloudTrail digest file' : 'AWS Config file' }));
        return;
      }
      if (object.key !== 'stdin' && !looksLikeLogFileName(object.key)) {
        summary.skip('not a log file name (.json, .json.gz, .jsonl, .gz)');
        b.manifest.push(entry('skipped', { reason: 'not a log file name' }));
        return;
      }
      if (object.size === 0) {
        summary.skip('empty file');
        b.manifest.push(entry('skipped', { reason: 'empty file' }));
        return;
      }
      let outcome: StagedOutcome;
      const path = source.localPath?.(object);
      if (path) {
        summary.bytes += object.size;
        outcome = await pool.parse({ uri: object.uri, key: object.key, path, stagingDir: b.staging });
      } else {
        let bytes: Uint8Array | undefined;
        try {
          bytes = await source.read(object);
          summary.bytes += bytes.byteLength;
        } catch (e) {
          fetchError = (e as Error).message;
        }
        outcome = bytes
          ? await pool.parse({ uri: object.uri, key: object.key, bytes, stagingDir: b.staging })
          : { kind: 'rejected', reason: `could not be fetched: ${fetchError}`, unread: true };
      }
      if (outcome.kind === 'rejected' && outcome.unread) {
        // Not the file's fault (S3 throttling, a cut connection, a permission fixed later): no
        // manifest entry, so the next run reads it; its earlier rows, if any, stay as they were.
        summary.unread.push({ uri: object.uri, reason: outcome.reason });
        return;
      }
      if (previous && previous.partitions.length) {
        summary.replaced++;
        b.replaced.set(object.uri, previous.partitions);
      }
      switch (outcome.kind) {
        case 'rejected':
          summary.rejected.push({ uri: object.uri, reason: outcome.reason });
          b.manifest.push(entry('rejected', { reason: outcome.reason }));
          return;
        case 'not-cloudtrail':
          summary.skip(outcome.why, object.uri);
          b.manifest.push(entry('skipped', { reason: outcome.why }));
          return;
        case 'records': {
          summary.add(object.uri, outcome);
          const reason = outcome.rejectedRecords
            ? `${outcome.rejectedRecords} records rejected: ${outcome.rejectReasons.join('; ')}`
            : undefined;
          b.manifest.push(
            entry('ingested', {
              records: outcome.records,
              rejectedRecords: outcome.rejectedRecords,
              partitions: outcome.partitions,
              ...(reason ? { reason } : {}),
            }),
          );
          stage(b, outcome.rows);
        }
      }
    };

    /** Merges and commits a batch whose files are all read; starts `next` on the commit (or releases the lake). */
    const flush = async (b: Batch, next: ReservedTransaction | undefined): Promise<LakeTransaction | undefined> => {
      b.eventIds = undefined;
      const tx = await b.tx;
      try {
        return await mergeAndCommit(b, tx, next);
      } catch (e) {
        await tx.abort().catch(() => {});
        throw e;
      }
    };

    const mergeAndCommit = async (b: Batch, tx: LakeTransaction, next: ReservedTransaction | undefined) => {
      failpoint('before-merge');
      progress('merging', work.length);
      const mergeStarted = performance.now();
      const written =
        b.partitions.size > 0 || b.replaced.size > 0
          ? await writePartitions(engine, {
              staged: {
                partitions: new Map([...b.partitions].map(([key, p]) => [key, { ...p, files: [...p.files].sort() }])),
              },
              replacedLogFiles: b.replaced,
              base: tx.base,
              lakeDir: lake.dir,
              staging: b.staging,
              rowGroupRows: options.rowGroupRows,
            })
          : { added: [], replacedPartitions: new Set<string>(), rows: 0, duplicates: 0 };
      summary.duplicates += written.duplicates;
      let continued: LakeTransaction | undefined;
      const folders = next ? [] : listedFolders;
      try {
        if (b.manifest.length || folders.length || written.added.length || written.replacedPartitions.size) {
          const changes = { added: written.added, replacedPartitions: written.replacedPartitions, manifest: b.manifest, folders };
          if (next) continued = await tx.commitAndContinue(changes, next);
          else await tx.commit(changes);
          summary.transactions++;
        } else if (next) {
          continued = await tx.continueAs(next);
        } else {
          await tx.abort();
        }
      } finally {
        summary.timings.merge += (performance.now() - mergeStarted) / 1000;
      }
      return continued;
    };

    for (const { source, object } of work) {
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      const b = batch;
      const p = handle(b, source, object).finally(() => {
        inFlight.delete(p);
        b.inFlight.delete(p);
        summary.filesDone++;
        progress('reading', work.length);
      });
      inFlight.add(p);
      b.inFlight.add(p);
      if (b.rowChars >= batchBytes) {
        // One batch merges while the next is read: on two cores the parser threads and
        // DuckDB each leave the other room. A third batch waits for the merge.
        await merging;
        const reserved = await lake.reserveTransaction();
        const done = b;
        const tx = Promise.all(done.inFlight).then(() => flush(done, reserved).then((t) => t!));
        batch = newBatch(reserved.id, reserved.staging, tx);
        merging = tx.then(() => undefined);
        // Awaited (and its error thrown) before the next batch merges or the run ends.
        merging.catch(() => {});
      }
    }
    await Promise.all(inFlight);
    summary.timings.read = (performance.now() - readStarted) / 1000;
    await merging;
    await flush(batch, undefined);
  } catch (e) {
    // Whichever transaction holds the lake lets it go: the one being read, else the one merging.
    const holder = await batch.tx.catch(() => undefined);
    await holder?.abort().catch(() => {});
    throw e;
  } finally {
    engine.close();
    await pool.close();
  }
  return summary.build((performance.now() - started) / 1000);
}

function newBatch(id: string, staging: string, tx: Promise<LakeTransaction>): Batch {
  return {
    id,
    staging,
    tx,
    inFlight: new Set(),
    partitions: new Map(),
    partitionList: [],
    eventIds: new EventIdTable(),
    rowChars: 0,
    manifest: [],
    replaced: new Map(),
  };
}

/** Adds a file's staged rows to the batch, noting partitions where an eventID may occur twice. */
function stage(batch: Batch, rows: Extract<StagedOutcome, { kind: 'records' }>['rows']) {
  const eventIds = batch.eventIds!;
  for (const [key, r] of Object.entries(rows)) {
    let p = batch.partitions.get(key);
    if (!p) {
      p = { number: batch.partitionList.length, files: new Set(), rows: 0, longest: 0, chars: 0, mayRepeat: false };
      batch.partitions.set(key, p);
      batch.partitionList.push(p);
    }
    p.files.add(r.path);
    p.rows += r.count;
    p.longest = Math.max(p.longest, r.longest);
    p.chars += r.chars;
    batch.rowChars += r.chars;
    for (const h of r.eventIdHashes) {
      const seen = h === 0 ? p.number : eventIds.claim(h, p.number);
      if (seen >= 0) {
        p.mayRepeat = true;
        batch.partitionList[seen]!.mayRepeat = true;
      }
    }
  }
}

function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const seconds = (now - last) / 1000;
    last = now;
    return seconds;
  };
}

/** Counts as files finish, in any order. */
class SummaryBuilder {
  seen = 0;
  filesDone = 0;
  ingested = 0;
  unchanged = 0;
  replaced = 0;
  skippedReasons: Record<string, number> = {};
  skippedExamples: Record<string, string[]> = {};
  rejected: FileProblem[] = [];
  unread: FileProblem[] = [];
  stillRejected: FileProblem[] = [];
  partial: Array<FileProblem & { rejectedRecords: number }> = [];
  records = 0;
  duplicates = 0;
  rejectedRecords = 0;
  withoutEventTime = 0;
  unfilteredFiles = 0;
  unknownFields: Record<string, number> = {};
  bytes = 0;
  uncompressedBytes = 0;
  transactions = 0;
  timings = { list: 0, read: 0, merge: 0 };

  get events() {
    return this.records - this.duplicates;
  }

  /** `uri` for a file a user may not expect to be skipped (JSON that is not CloudTrail): the first few are named. */
  skip(reason: string, uri?: string) {
    this.skippedReasons[reason] = (this.skippedReasons[reason] ?? 0) + 1;
    const examples = (this.skippedExamples[reason] ??= []);
    if (uri && examples.length < 3) examples.push(uri);
  }

  add(uri: string, o: Extract<StagedOutcome, { kind: 'records' }>) {
    this.ingested++;
    this.records += o.records;
    this.rejectedRecords += o.rejectedRecords;
    this.withoutEventTime += o.withoutEventTime;
    this.uncompressedBytes += o.uncompressedBytes;
    for (const [k, n] of Object.entries(o.unknownFields)) this.unknownFields[k] = (this.unknownFields[k] ?? 0) + n;
    if (o.rejectedRecords) this.partial.push({ uri, rejectedRecords: o.rejectedRecords, reason: o.rejectReasons.join('; ') });
  }

  build(seconds: number): IngestSummary {
    const skipped = Object.values(this.skippedReasons).reduce((a, b) => a + b, 0);
    return {
      files: {
        seen: this.seen,
        ingested: this.ingested,
        skipped,
        rejected: this.rejected.length,
        unchanged: this.unchanged,
        replaced: this.replaced,
      },
      skippedReasons: this.skippedReasons,
      skippedExamples: Object.fromEntries(Object.entries(this.skippedExamples).filter(([, uris]) => uris.length)),
      rejectedFiles: this.rejected,
      unreadFiles: this.unread,
      stillRejectedFiles: this.stillRejected,
      filesWithRejectedRecords: this.partial,
      events: this.events,
      duplicates: this.duplicates,
      rejectedRecords: this.rejectedRecords,
      withoutEventTime: this.withoutEventTime,
      unfilteredFiles: this.unfilteredFiles,
      unknownFields: this.unknownFields,
      bytes: this.bytes,
      uncompressedBytes: this.uncompressedBytes,
      seconds,
      eventsPerSecond: seconds > 0 ? this.events / seconds : 0,
      transactions: this.transactions,
      timings: this.timings,
    };
  }
}
