/**
 * How CloudTrail delivers records: per account and region, a gzip file of `{"Records":[...]}`
 * about every five minutes, named `<account>_CloudTrail_<region>_<yyyymmddThhmmZ>_<16 alnum>.json.gz`
 * under the organization trail's `AWSLogs/<o-id>/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/`.
 *
 * Records inside a file are not sorted (CloudTrail does not sort them), and a few arrive late,
 * in the next file. The day folder is the delivery day, so an event at 23:58 may be in the next
 * day's folder — exactly what partition-pruning code must cope with.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { logFileFolder, logFileName } from '../cloudtrail/log-file-key.js';
import type { GeneratedRecord } from './event-recorder.js';
import { SeededRandom } from './random.js';
import type { World } from './world.js';

const PERIOD_MS = 5 * 60_000;

/**
 * zlib level for log files: 1 is about twice as fast as 6 on these small files and only a few
 * percent larger; generation speed matters more than the size of a demo.
 */
export const GZIP_LEVEL = 1;

/** A small output chunk: most files compress to 2–3 KB, and smaller allocations keep the collector calmer. */
export const GZIP_OPTIONS = { level: GZIP_LEVEL, chunkSize: 4000 } as const;

/** What digests and progress need to know of a delivered log file: everything but its bytes. */
export interface LogFileFacts {
  readonly key: string;
  readonly account: string;
  readonly region: string;
  /** Milliseconds since the epoch CloudTrail wrote the file. */
  readonly deliveredAt: number;
  /** Gzip bytes. */
  readonly size: number;
  /** SHA-256 (hex) of the uncompressed content, as digest files list it. */
  readonly sha256: string;
  readonly oldestEventTime: number;
  readonly newestEventTime: number;
  readonly records: number;
}

/** A delivered log file. */
export interface DeliveredLogFile extends LogFileFacts {
  readonly bytes: Uint8Array;
}

/**
 * A log file being filled: its records' bytes one after another, and where each starts.
 * Records are written as bytes straight into the file's buffer (all demo text is ASCII): on
 * these machines allocating a string per record cost more than compressing it.
 */
export class PendingLogFile {
  bytes: Buffer;
  length = 0;
  readonly starts: number[] = [];
  oldest: number;
  newest: number;

  constructor(
    readonly account: number,
    readonly region: string,
    readonly slot: number,
    time: number,
    bytes: Buffer,
  ) {
    this.bytes = bytes;
    this.oldest = time;
    this.newest = time;
  }

  /** Starts a record of at most `size` bytes; write it at `length` and advance `length`. */
  begin(time: number, size: number): Buffer {
    if (this.length + size > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.length + size + 4096));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    this.starts.push(this.length);
    if (time < this.oldest) this.oldest = time;
    if (time > this.newest) this.newest = time;
    return this.bytes;
  }
}

const RECORDS_OPEN = Buffer.from('{"Records":[');
const RECORDS_CLOSE = Buffer.from(']}');
const COMMA = 44;

/**
 * Gathers one day's records into log files as they are recorded, and writes each file as soon
 * as its five minutes are over.
 */
export class LogFileAssembler {
  records = 0;
  private readonly rng: SeededRandom;
  /** Open files by account, region and period, as one number. */
  private readonly pending = new Map<number, PendingLogFile>();
  private readonly regions: string[] = [];
  /** Buffers of written files, reused for new ones. */
  private readonly free: Buffer[] = [];
  private scratch = Buffer.allocUnsafeSlow(1 << 16);
  /** The order records are written in, reused from file to file. */
  private readonly order: number[] = [];

  /** @param deliver receives each file as soon as it is written, so its bytes need not outlive it. */
  constructor(
    private readonly world: World,
    day: number,
    private readonly deliver: (file: DeliveredLogFile) => void,
  ) {
    this.rng = SeededRandom.from(world.seed, 'delivery', day);
  }

  /** The file a record of this account and region at `time` goes to (a few go to a later file). */
  fileFor(account: number, region: string, time: number): PendingLogFile {
    let slot = Math.floor(time / PERIOD_MS);
    if (this.rng.next() < 0.015) slot += 1 + this.rng.int(2);
    let regionIndex = this.regions.indexOf(region);
    if (regionIndex < 0) regionIndex = this.regions.push(region) - 1;
    const key = (slot * 64 + regionIndex) * 1024 + account;
    let file = this.pending.get(key);
    if (!file) {
      file = new PendingLogFile(account, region, slot, time, this.free.pop() ?? Buffer.allocUnsafeSlow(32_768));
      this.pending.set(key, file);
    }
    this.records++;
    return file;
  }

  /** Adds a record already written as JSON text (the planted incidents). */
  addText(record: GeneratedRecord): void {
    const file = this.fileFor(record.account, record.region, record.time);
    const bytes = file.begin(record.time, record.json.length);
    file.length += bytes.write(record.json, file.length, 'latin1');
  }

  /** Writes the files of every period that ended by `time`: no later burst can add to them. */
  flushBefore(time: number): void {
    for (const [key, file] of this.pending) {
      if ((file.slot + 1) * PERIOD_MS <= time) {
        this.pending.delete(key);
        this.deliver(this.write(file));
      }
    }
  }

  /** Writes every file still open. */
  finish(): void {
    for (const file of this.pending.values()) this.deliver(this.write(file));
    this.pending.clear();
  }

  /** `{"Records":[...]}` with the records in shuffled order, gzipped. */
  private write(file: PendingLogFile): DeliveredLogFile {
    const org = this.world.org;
    const rng = this.rng;
    const account = org.accounts[file.account]!;
    const deliveredAt = (file.slot + 1) * PERIOD_MS + rng.between(20, 290) * 1000;
    const at = new Date(deliveredAt);
    const count = file.starts.length;
    const size = RECORDS_OPEN.length + file.length + count + RECORDS_CLOSE.length;
    if (this.scratch.length < size) this.scratch = Buffer.allocUnsafeSlow(size * 2);
    const out = this.scratch;
    out.set(RECORDS_OPEN, 0);
    let o = RECORDS_OPEN.length;
    const order = this.order;
    order.length = count;
    for (let i = 0; i < count; i++) order[i] = i;
    rng.shuffle(order);
    const { bytes, starts } = file;
    for (let i = 0; i < count; i++) {
      const r = order[i]!;
      if (i > 0) out[o++] = COMMA;
      o += bytes.copy(out, o, starts[r]!, r + 1 < count ? starts[r + 1]! : file.length);
    }
    out.set(RECORDS_CLOSE, o);
    o += RECORDS_CLOSE.length;
    const raw = out.subarray(0, o);
    if (file.bytes.length <= 262_144) this.free.push(file.bytes);
    const gzipped = gzipSync(raw, GZIP_OPTIONS);
    return {
      key:
        logFileFolder(account.id, file.region, at.toISOString().slice(0, 10), org.id) +
        logFileName(account.id, file.region, at, rng.mixedAlnum(16)),
      account: account.id,
      region: file.region,
      deliveredAt,
      size: gzipped.byteLength,
      bytes: gzipped,
      sha256: createHash('sha256').update(raw).digest('hex'),
      oldestEventTime: file.oldest,
      newestEventTime: file.newest,
      records: count,
    };
  }
}
