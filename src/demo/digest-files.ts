/**
 * CloudTrail digest files: every hour, per account and region, a gzip JSON listing the log
 * files delivered in that hour with their SHA-256, chained to the previous digest.
 *
 * They sit beside the logs under `CloudTrail-Digest/` and must be recognised and skipped by
 * ingest (they are not logs). Hashes of log files are real SHA-256 of their uncompressed
 * content; the signature and key fingerprint are plausible but not cryptographically valid.
 * Digests are written as soon as their hour is complete, while later days are still generated.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { GZIP_OPTIONS, type LogFileFacts } from './delivery.js';
import { SeededRandom } from './random.js';
import { formatEventTime as iso } from './record-writer.js';
import { DAY_MS } from './schedule.js';
import type { World } from './world.js';

const HOUR_MS = 3_600_000;

/** What a digest keeps of a log file (the bytes are long gone by the time digests are written). */
interface LogFileEntry {
  readonly key: string;
  readonly deliveredAt: number;
  readonly sha256: string;
  readonly oldest: number;
  readonly newest: number;
}

export interface DigestFile {
  readonly key: string;
  readonly bytes: Uint8Array;
}

/** One account and region's chain of digests. */
interface Chain {
  readonly account: string;
  readonly region: string;
  readonly rng: SeededRandom;
  windowStart: number;
  pending: LogFileEntry[];
  previous?: { key: string; sha256: string; signature: string };
}

const stamp = (ms: number): string => iso(ms).replace(/[-:]/g, '');

export class DigestWriter {
  private readonly chains = new Map<string, Chain>();
  private readonly fingerprint: string;
  private lastDelivery = 0;

  constructor(
    private readonly world: World,
    private readonly firstDay: number,
    private readonly days: number,
  ) {
    const { org, seed } = world;
    this.fingerprint = SeededRandom.from(seed, 'digest-key').hex(32);
    for (const account of org.accounts) {
      for (const region of org.enabledRegions) {
        const rng = SeededRandom.from(seed, 'digest', account.id, region);
        const offset = rng.int(HOUR_MS / 1000) * 1000;
        const windowStart = Math.floor((firstDay * DAY_MS - offset) / HOUR_MS) * HOUR_MS + offset;
        this.chains.set(`${account.id}|${region}`, { account: account.id, region, rng, windowStart, pending: [] });
      }
    }
  }

  add(file: LogFileFacts): void {
    const chain = this.chains.get(`${file.account}|${file.region}`);
    if (!chain) throw new Error(`No digest chain for ${file.account} ${file.region}: the demo only delivers in enabled regions`);
    chain.pending.push({
      key: file.key,
      deliveredAt: file.deliveredAt,
      sha256: file.sha256,
      oldest: file.oldestEventTime,
      newest: file.newestEventTime,
    });
    if (file.deliveredAt > this.lastDelivery) this.lastDelivery = file.deliveredAt;
  }

  /**
   * Digests of every hour that ends by `until`, account by account and region by region.
   * The caller promises no log file delivered before `until` is still to come.
   */
  *complete(until: number): Generator<DigestFile> {
    for (const chain of this.chains.values()) {
      while (chain.windowStart + HOUR_MS <= until) yield this.next(chain);
    }
  }

  /** The digests of every hour left, up to the last delivery or the end of the range. */
  *rest(): Generator<DigestFile> {
    yield* this.complete(Math.max((this.firstDay + this.days) * DAY_MS, this.lastDelivery + HOUR_MS));
  }

  private next(chain: Chain): DigestFile {
    const { org } = this.world;
    const windowStart = chain.windowStart;
    const windowEnd = windowStart + HOUR_MS;
    chain.windowStart = windowEnd;
    const listed: LogFileEntry[] = [];
    const later: LogFileEntry[] = [];
    for (const f of chain.pending) (f.deliveredAt < windowEnd ? listed : later).push(f);
    listed.sort((a, b) => a.deliveredAt - b.deliveredAt || (a.key < b.key ? -1 : 1));
    chain.pending = later;
    const day = iso(windowEnd).slice(0, 10);
    const [yyyy, mm, dd] = day.split('-');
    const key =
      `AWSLogs/${org.id}/${chain.account}/CloudTrail-Digest/${chain.region}/${yyyy}/${mm}/${dd}/` +
      `${chain.account}_CloudTrail-Digest_${chain.region}_${org.trailName}_${org.trailHomeRegion}_${stamp(windowEnd)}.json.gz`;
    let oldest: number | undefined;
    let newest: number | undefined;
    for (const f of listed) {
      if (oldest === undefined || f.oldest < oldest) oldest = f.oldest;
      if (newest === undefined || f.newest > newest) newest = f.newest;
    }
    const previous = chain.previous;
    const text =
      `{"awsAccountId":"${chain.account}","digestStartTime":"${iso(windowStart)}","digestEndTime":"${iso(windowEnd)}",` +
      `"digestS3Bucket":"${org.trailBucket}","digestS3Object":"${key}","digestPublicKeyFingerprint":"${this.fingerprint}","digestSignatureAlgorithm":"SHA256withRSA",` +
      `"newestEventTime":${newest === undefined ? 'null' : `"${iso(newest)}"`},"oldestEventTime":${oldest === undefined ? 'null' : `"${iso(oldest)}"`},` +
      (previous
        ? `"previousDigestS3Bucket":"${org.trailBucket}","previousDigestS3Object":"${previous.key}","previousDigestHashValue":"${previous.sha256}","previousDigestHashAlgorithm":"SHA-256","previousDigestSignature":"${previous.signature}",`
        : '"previousDigestS3Bucket":null,"previousDigestS3Object":null,"previousDigestHashValue":null,"previousDigestHashAlgorithm":null,"previousDigestSignature":null,') +
      `"logFiles":[${listed
        .map(
          (f) =>
            `{"s3Bucket":"${org.trailBucket}","s3Object":"${f.key}","hashValue":"${f.sha256}","hashAlgorithm":"SHA-256","newestEventTime":"${iso(f.newest)}","oldestEventTime":"${iso(f.oldest)}"}`,
        )
        .join(',')}]}`;
    const raw = Buffer.from(text);
    chain.previous = { key, sha256: createHash('sha256').update(raw).digest('hex'), signature: chain.rng.hex(512) };
    return { key, bytes: gzipSync(raw, GZIP_OPTIONS) };
  }
}
