/**
 * Where CloudTrail puts a log file, and what a key tells about it before it is read.
 *
 * CloudTrail delivers to
 * `[prefix/]AWSLogs/[o-orgid/]<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/<account>_CloudTrail_<region>_<yyyymmddThhmmZ>_<id>.json.gz`
 * and keeps digests (`CloudTrail-Digest/`), Insights (`CloudTrail-Insight/`) and, in the
 * same bucket, often AWS Config snapshots (`Config/`) beside the logs.
 *
 * @example
 * parseLogFileKey('AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/2024/03/09/111122223333_CloudTrail_eu-west-1_20240309T1205Z_x.json.gz')
 * // { kind: 'log', account: '111122223333', organizationId: 'o-abc123', region: 'eu-west-1', date: '2024-03-09', ... }
 */

/** A path or S3 key of a log file, relative to the bucket or folder root. */
export type LogFileKey = string;

/** What a key names: only `log` and `insight` hold CloudTrail records. */
export type LogFileKind = 'log' | 'insight' | 'digest' | 'config' | 'other';

export interface ParsedLogFileKey {
  readonly kind: LogFileKind;
  /** The account the trail delivered for; undefined when the key does not follow CloudTrail's layout. */
  readonly account?: string;
  readonly organizationId?: string;
  readonly region?: string;
  /** The delivery day folder, `yyyy-mm-dd` (UTC). */
  readonly date?: string;
  /** `yyyymmddThhmmZ` from the file name: when CloudTrail wrote the file. */
  readonly deliveredAt?: string;
}

const LAYOUT =
  /(?:^|\/)AWSLogs\/(?:(o-[a-z0-9]+)\/)?(\d{12})\/(CloudTrail|CloudTrail-Insight|CloudTrail-Digest|Config)\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/([^/]*)$/;
const FILE_NAME = /^\d{12}_(?:CloudTrail|CloudTrail-Insight|CloudTrail-Digest)_[a-z0-9-]+_(\d{8}T\d{4}Z)_/;
/** A log file's own name, wherever it sits (a folder flattened by a copy, a file named alone). */
const NAMED_FILE = /(?:^|\/)(\d{12})_(CloudTrail|CloudTrail-Insight)_([a-z0-9-]+)_((\d{4})(\d{2})(\d{2})T\d{4}Z)_[^/]*$/;

const KIND_BY_FOLDER: Record<string, LogFileKind> = {
  CloudTrail: 'log',
  'CloudTrail-Insight': 'insight',
  'CloudTrail-Digest': 'digest',
  Config: 'config',
};

export function parseLogFileKey(key: LogFileKey): ParsedLogFileKey {
  const m = LAYOUT.exec(key);
  if (!m) {
    if (/(?:^|\/)CloudTrail-Digest\/|_CloudTrail-Digest_/.test(key)) return { kind: 'digest' };
    if (/(?:^|\/)AWSLogs\/(?:o-[a-z0-9]+\/)?\d{12}\/Config\//.test(key) || /_Config_[a-z0-9-]+_ConfigSnapshot_|_ConfigHistory_/.test(key)) {
      return { kind: 'config' };
    }
    const named = NAMED_FILE.exec(key);
    if (!named) return { kind: 'other' };
    const [, account, folder, region, deliveredAt, yyyy, mm, dd] = named as unknown as string[];
    return { kind: KIND_BY_FOLDER[folder!]!, account, region, date: `${yyyy}-${mm}-${dd}`, deliveredAt };
  }
  const [, organizationId, account, folder, region, yyyy, mm, dd, fileName] = m as unknown as string[];
  const deliveredAt = FILE_NAME.exec(fileName!)?.[1];
  return {
    kind: KIND_BY_FOLDER[folder!] ?? 'other',
    account,
    ...(organizationId ? { organizationId } : {}),
    region,
    date: `${yyyy}-${mm}-${dd}`,
    ...(deliveredAt ? { deliveredAt } : {}),
  };
}

/** File names that may hold JSON; anything else in a folder (`.DS_Store`, `README`) is not read. */
export function looksLikeLogFileName(key: LogFileKey): boolean {
  return /\.(json|jsonl|ndjson)(\.gz)?$|\.gz$/i.test(key);
}

/**
 * The file name CloudTrail gives a log file.
 * @example logFileName('111122223333', 'us-east-1', new Date('2024-03-09T12:05:00Z'), 'AbCd') // '111122223333_CloudTrail_us-east-1_20240309T1205Z_AbCd.json.gz'
 */
export function logFileName(account: string, region: string, deliveredAt: Date, uniqueId: string): string {
  const iso = deliveredAt.toISOString();
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
  return `${account}_CloudTrail_${region}_${stamp}_${uniqueId}.json.gz`;
}

/** The folder CloudTrail delivers a day's logs to, below the bucket prefix. */
export function logFileFolder(account: string, region: string, day: string, organizationId?: string): LogFileKey {
  const [yyyy, mm, dd] = day.split('-');
  const org = organizationId ? `${organizationId}/` : '';
  return `AWSLogs/${org}${account}/CloudTrail/${region}/${yyyy}/${mm}/${dd}/`;
}
