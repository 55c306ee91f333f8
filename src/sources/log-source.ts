/**
 * Where log files come from. Every source (a folder, a file, stdin, an S3 bucket) lists
 * objects and reads their bytes through this one interface, so ingest never knows which.
 */
import { parseLogFileKey, type LogFileKey, type ParsedLogFileKey } from '../cloudtrail/log-file-key.js';

/** One object a source can read: a file, an S3 object, stdin. */
export interface SourceObject {
  /** Names the object everywhere: in the manifest, the `logfile` column, messages. `file:///…`, `s3://b/k`, `stdin:sha256:…`. */
  readonly uri: string;
  /** The path below the source root, parsed for account/region/date. */
  readonly key: LogFileKey;
  readonly size: number;
  /** Changes when the content does: the S3 ETag, or a file's mtime in ms. */
  readonly version: string;
}

/** Which log files to read, decided from keys alone (before any object is fetched). */
export interface KeyFilter {
  /** `yyyy-mm-dd`, inclusive. */
  readonly since?: string;
  /** `yyyy-mm-dd`, inclusive. */
  readonly until?: string;
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
}

/** A filter that could only match nothing, by mistake: it would otherwise make an empty run that looks like a quiet day. */
export class KeyFilterError extends Error {
  override readonly name = 'KeyFilterError';
}

/** `yyyy-mm-dd` of a day that exists (`Date.parse` takes 2026-02-30 as March 2nd). */
export function isDay(value: string): boolean {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === value;
}

export const isAccountId = (value: string) => /^\d{12}$/.test(value);

/** A region's name as CloudTrail writes it: `us-east-1`, `us-gov-west-1`. */
export const isRegionName = (value: string) => /^[a-z]{2}(-[a-z]+)+-\d+$/.test(value);

/** The filter, regions in lower case; throws `KeyFilterError` for one that could match nothing. */
export function checkedKeyFilter(filter: KeyFilter): KeyFilter {
  for (const [name, day] of [
    ['since', filter.since],
    ['until', filter.until],
  ] as const) {
    if (day !== undefined && !isDay(day)) throw new KeyFilterError(`${name}: expected a day as YYYY-MM-DD, got '${day}'`);
  }
  if (filter.since && filter.until && filter.since > filter.until) {
    throw new KeyFilterError(`since ${filter.since} is after until ${filter.until}: no day is in between`);
  }
  const badAccount = filter.accounts?.find((a) => !isAccountId(a));
  if (badAccount !== undefined) throw new KeyFilterError(`expected 12-digit AWS account IDs, got '${badAccount}'`);
  const regions = filter.regions?.map((r) => r.toLowerCase());
  const badRegion = regions?.find((r) => !isRegionName(r));
  if (badRegion !== undefined) throw new KeyFilterError(`expected AWS regions such as us-east-1, got '${badRegion}'`);
  return regions ? { ...filter, regions } : filter;
}

/** A folder listed in full: each of its files was listed, and so is known to whoever listed them. */
export interface FolderListing {
  /** `file:///…/`, ending in `/`. */
  readonly folder: string;
  /** The folder's mtime in nanoseconds, taken before its files were read. */
  readonly mtime: string;
  /** Its files. */
  readonly files: number;
}

/**
 * What a lister remembers of earlier listings, so a source can skip what cannot have changed.
 * A folder's mtime moves when a file is added to, removed from or renamed in it, so a folder
 * with the mtime and file count it was listed with holds the same files. A file rewritten
 * in place does not move it: a caller that must catch those lists without a memory.
 */
export interface ListingMemory {
  /** The folder as it was listed in full before, if it was and every file of it is known. */
  folder(uri: string): FolderListing | undefined;
  /** Files not listed one by one: their folder is unchanged since `folder` said so. */
  unchanged(files: number): void;
  /** A folder listed in full now, each of its files passing the filter. */
  listed(listing: FolderListing): void;
}

export interface LogSource {
  /** The source as the user named it. */
  readonly uri: string;
  /** Sources with folders (local ones) use `memory`; others list every object. */
  list(filter: KeyFilter, memory?: ListingMemory): AsyncIterable<SourceObject>;
  read(object: SourceObject): Promise<Uint8Array>;
  /**
   * A path on this machine where the object can be read directly, if there is one: the
   * parser threads then read it themselves and the main thread does no file I/O.
   */
  localPath?(object: SourceObject): string | undefined;
}

/**
 * Whether a key passes the filter. Keys outside CloudTrail's layout carry no date,
 * account or region and always pass: their records are kept whatever the filter says.
 */
export function keyPassesFilter(parsed: ParsedLogFileKey, filter: KeyFilter): boolean {
  if (parsed.date) {
    if (filter.since && parsed.date < filter.since) return false;
    if (filter.until && parsed.date > filter.until) return false;
  }
  if (parsed.account && filter.accounts?.length && !filter.accounts.includes(parsed.account)) return false;
  if (parsed.region && filter.regions?.length && !filter.regions.includes(parsed.region)) return false;
  return true;
}

export function keyMatches(key: LogFileKey, filter: KeyFilter): boolean {
  if (!filter.since && !filter.until && !filter.accounts?.length && !filter.regions?.length) return true;
  return keyPassesFilter(parseLogFileKey(key), filter);
}

/** The days from `since` to `until`, inclusive, as `yyyy-mm-dd`. */
export function daysBetween(since: string, until: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${until}T00:00:00Z`);
  for (let t = Date.parse(`${since}T00:00:00Z`); t <= end; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
