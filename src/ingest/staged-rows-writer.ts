/**
 * Where a parser thread puts the staged rows of the files it reads: a file per partition,
 * per thread, per batch, appended to directly. Rows never travel between threads as
 * strings, and the merge reads each partition's rows without scanning the others.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { readLogFileOutcomes, type LogFileJob, type LogFileOutcome, type PartitionRows } from './log-file-outcome.js';

/** A partition's rows of one log file, as written. */
export interface StagedPartitionRows extends Omit<PartitionRows, 'text'> {
  /** The staging file holding them (and other files' rows of the same partition). */
  readonly path: string;
  readonly chars: number;
}

/** What a parser thread hands back: the outcome, its rows already written. */
export type StagedOutcome = StagedRecords | Exclude<LogFileOutcome, { kind: 'records' }>;

type StagedRecords = Omit<Extract<LogFileOutcome, { kind: 'records' }>, 'rows'> & {
  /** By partition key. */
  readonly rows: Record<string, StagedPartitionRows>;
};

/** A parse job and the batch folder its rows go to. */
export interface StagedJob extends LogFileJob {
  readonly stagingDir: string;
}

/** Files kept open at once; a batch touching more partitions reopens some (they are appended to). */
const MAX_OPEN_FILES = 128;

export class StagedRowsWriter {
  #stagingDir: string | undefined;
  readonly #open = new Map<string, number>();

  /**
   * Parses the job and appends its rows to this thread's partition files in the job's
   * batch folder before returning: a caller that has the outcome can read the rows. A large
   * file's rows are written part by part as they are made.
   */
  read(job: StagedJob): StagedOutcome {
    let total: StagedRecords | undefined;
    for (const outcome of readLogFileOutcomes(job)) {
      if (outcome.kind !== 'records') return outcome;
      const part = this.#write(job, outcome);
      total = total ? addParts(total, part) : part;
    }
    return total!;
  }

  #write(job: StagedJob, outcome: Extract<LogFileOutcome, { kind: 'records' }>): StagedRecords {
    if (job.stagingDir !== this.#stagingDir) {
      this.close();
      this.#stagingDir = job.stagingDir;
    }
    const rows: Record<string, StagedPartitionRows> = {};
    for (const [key, { text, ...rest }] of Object.entries(outcome.rows)) {
      // Partition values are [A-Za-z0-9_.-] or 'unknown': `+` cannot occur in them.
      const path = join(job.stagingDir, `${key.replaceAll('/', '+')}+t${threadId}.staged`);
      writeSync(this.#fd(path), text);
      rows[key] = { ...rest, path, chars: text.length };
    }
    return { ...outcome, rows };
  }

  #fd(path: string): number {
    let fd = this.#open.get(path);
    if (fd === undefined) {
      if (this.#open.size >= MAX_OPEN_FILES) this.close();
      fd = openSync(path, 'a');
      this.#open.set(path, fd);
    }
    return fd;
  }

  close(): void {
    for (const fd of this.#open.values()) closeSync(fd);
    this.#open.clear();
  }
}

/**
 * One file's outcome from two of its parts: the same staging files, counts added up. `a` is
 * the running total and its hash lists are appended to in place: copying them for every part
 * would make a large file's cost grow with the square of its parts.
 */
function addParts(a: StagedRecords, b: StagedRecords): StagedRecords {
  const rows = { ...a.rows };
  for (const [key, r] of Object.entries(b.rows)) {
    const before = rows[key];
    if (!before) {
      rows[key] = r;
      continue;
    }
    for (const h of r.eventIdHashes) before.eventIdHashes.push(h);
    rows[key] = {
      path: r.path,
      count: before.count + r.count,
      chars: before.chars + r.chars,
      longest: Math.max(before.longest, r.longest),
      eventIdHashes: before.eventIdHashes,
    };
  }
  const unknownFields = { ...a.unknownFields };
  for (const [f, n] of Object.entries(b.unknownFields)) unknownFields[f] = (unknownFields[f] ?? 0) + n;
  return {
    kind: 'records',
    rows,
    records: a.records + b.records,
    rejectedRecords: a.rejectedRecords + b.rejectedRecords,
    rejectReasons: [...a.rejectReasons, ...b.rejectReasons].slice(0, 5),
    partitions: Object.keys(rows),
    unknownFields,
    withoutEventTime: a.withoutEventTime + b.withoutEventTime,
    uncompressedBytes: a.uncompressedBytes + b.uncompressedBytes,
  };
}
