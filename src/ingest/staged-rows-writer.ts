/**
 * Where a parser thread puts the staged rows of the files it reads: a file per partition,
 * per thread, per batch, appended to directly. Rows never travel between threads as
 * strings, and the merge reads each partition's rows without scanning the others.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { readLogFileOutcome, type LogFileJob, type LogFileOutcome, type PartitionRows } from './log-file-outcome.js';

/** A partition's rows of one log file, as written. */
export interface StagedPartitionRows extends Omit<PartitionRows, 'text'> {
  /** The staging file holding them (and other files' rows of the same partition). */
  readonly path: string;
  readonly chars: number;
}

/** What a parser thread hands back: the outcome, its rows already written. */
export type StagedOutcome =
  | (Omit<Extract<LogFileOutcome, { kind: 'records' }>, 'rows'> & {
      /** By partition key. */
      readonly rows: Record<string, StagedPartitionRows>;
    })
  | Exclude<LogFileOutcome, { kind: 'records' }>;

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
   * batch folder before returning: a caller that has the outcome can read the rows.
   */
  read(job: StagedJob): StagedOutcome {
    const outcome = readLogFileOutcome(job);
    if (outcome.kind !== 'records') return outcome;
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
