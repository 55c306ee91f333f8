/**
 * CloudTrail's bucket, read in place: `s3://bucket[/prefix]`.
 *
 * A trail bucket holds years of logs for many accounts and regions, so a date range is
 * never answered by listing the whole bucket: the folders of CloudTrail's layout
 * (`AWSLogs/[o-org/]<account>/CloudTrail/<region>/`) are discovered with `/`-delimited
 * listings, and only the day (or whole month/year) folders of the range are listed.
 *
 * @example
 * const source = new S3Source('s3://my-trail-bucket', { profile: 'audit' });
 * for await (const object of source.list({ since: '2024-03-01', regions: ['eu-west-1'] })) await source.read(object);
 */
import { GetObjectCommand, ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { daysBetween, keyMatches, type KeyFilter, type LogSource, type SourceObject } from './log-source.js';
import { createS3Client, parseS3Uri, S3SourceError, type S3Options } from './s3-client.js';

export { createS3Client, parseS3Uri, putObject, S3SourceError, type S3Location, type S3Options } from './s3-client.js';

/**
 * How many folders below the source prefix `AWSLogs/` is looked for (a trail's own key
 * prefix rarely has more); the folders beside an `AWSLogs/` folder are not searched.
 */
const AWSLOGS_SEARCH_DEPTH = 3;

/** Where a folder sits in CloudTrail's layout, from the bucket prefix down to a region. */
type FolderLevel = 'above' | 'logs' | 'organization' | 'account' | 'trail' | 'region';

interface LayoutFolder {
  /** The full key prefix, ending in `/` (or empty for the bucket root). */
  readonly prefix: string;
  readonly level: FolderLevel;
  /** For `above`: how many folders below the source prefix. */
  readonly depth: number;
}

/** A folder path inside `AWSLogs/`, as far down as the part below the region folder. */
const LAYOUT_FOLDER = /(?:^|\/)AWSLogs\/(?:(o-[a-z0-9]+)\/)?(?:(\d{12})\/(?:(CloudTrail|CloudTrail-Insight)\/(?:([a-z0-9-]+)\/(.*))?)?)?$/s;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class S3Source implements LogSource {
  readonly uri: string;
  readonly bucket: string;
  readonly prefix: string;
  /** Exposed so a caller can share it (e.g. with `putObject`) or add middleware. */
  readonly client: S3Client;
  readonly #gate: RequestGate;
  readonly #readAhead: number;

  constructor(uri: string, options: S3Options = {}, client: S3Client = createS3Client(options)) {
    const { bucket, prefix } = parseS3Uri(uri);
    const concurrency = options.concurrency ?? 8;
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new Error(`${uri}: concurrency must be a whole number of at least 1, not ${concurrency}`);
    this.uri = uri;
    this.bucket = bucket;
    this.prefix = prefix;
    this.client = client;
    this.#gate = new RequestGate(concurrency);
    this.#readAhead = concurrency;
  }

  /**
   * The objects below the prefix that pass the filter, in key order. With `since` or
   * `until` only CloudTrail's layout is listed (objects elsewhere carry no date); when no
   * `AWSLogs/` folder is found below the prefix, everything below it is listed instead.
   */
  async *list(filter: KeyFilter): AsyncIterable<SourceObject> {
    for (const day of [filter.since, filter.until]) {
      if (day !== undefined && !DAY.test(day)) throw new Error(`${this.uri}: "${day}" is not a day (write yyyy-mm-dd)`);
    }
    const prefixes = filter.since || filter.until ? await this.#datePrefixes(filter) : undefined;
    yield* this.#objectsBelow(prefixes ?? [this.prefix], filter);
  }

  /** Bytes of one object, at most `concurrency` requests in flight however many callers wait. */
  async read(object: SourceObject): Promise<Uint8Array> {
    const { bucket, prefix: key } = parseS3Uri(object.uri);
    try {
      return await this.#gate.run(async () => {
        // If-Match: a log rewritten since listing fails instead of being read under the old ETag.
        const ifMatch = object.version ? { IfMatch: `"${object.version}"` } : {};
        const response = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...ifMatch }));
        if (!response.Body) throw new Error('S3 answered without a body');
        return response.Body.transformToByteArray();
      });
    } catch (error) {
      throw S3SourceError.from(object.uri, error, 's3:GetObject');
    }
  }

  /**
   * The day/month/year folders to list for the filter's range, in key order; undefined when
   * the prefix holds no CloudTrail layout (then the whole prefix is listed and filtered by key).
   */
  async #datePrefixes(filter: KeyFilter): Promise<string[] | undefined> {
    const start = locateFolder(this.prefix.slice(0, this.prefix.lastIndexOf('/') + 1));
    if (!start) return undefined;
    const found = { layout: start.level !== 'above' };
    const regions = (await this.#regionFolders(start, filter, found)).filter((prefix) => regionFolderPasses(prefix, filter));
    if (!found.layout) return undefined;
    const perRegion = await Promise.all(regions.map((region) => this.#datePrefixesIn(region, filter)));
    return perRegion.flat();
  }

  async #regionFolders(folder: LayoutFolder, filter: KeyFilter, found: { layout: boolean }): Promise<string[]> {
    if (folder.level === 'region') return [folder.prefix];
    let children = (await this.#childFolders(folder.prefix))
      .filter((prefix) => overlaps(prefix, this.prefix))
      .flatMap((prefix) => childFolder(folder, prefix, filter) ?? []);
    if (children.some((child) => child.level === 'logs')) {
      found.layout = true;
      // Beside `AWSLogs/` lie other things (Athena results, exports), not more trails: not searched.
      children = children.filter((child) => child.level !== 'above');
    }
    const below = await Promise.all(children.map((child) => this.#regionFolders(child, filter, found)));
    return below.flat();
  }

  async #datePrefixesIn(regionFolder: string, filter: KeyFilter): Promise<string[]> {
    let since = filter.since;
    if (!since) {
      const years = (await this.#childFolders(regionFolder))
        .map((prefix) => prefix.slice(regionFolder.length, -1))
        .filter((y) => /^\d{4}$/.test(y));
      if (years.length === 0) return [];
      since = `${years[0]}-01-01`;
    }
    const until = filter.until ?? new Date().toISOString().slice(0, 10);
    return dateFolders(since, until).flatMap((folder) => narrowTo(regionFolder + folder, this.prefix) ?? []);
  }

  /** The folders directly below a prefix (`/`-delimited listing, every page). */
  async #childFolders(prefix: string): Promise<string[]> {
    const folders: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.#listPage(prefix, '/', token);
      for (const common of page.CommonPrefixes ?? []) if (common.Prefix) folders.push(common.Prefix);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return folders;
  }

  /** Every object below each prefix, in order; the first pages of the next prefixes are fetched ahead. */
  async *#objectsBelow(prefixes: readonly string[], filter: KeyFilter): AsyncGenerator<SourceObject> {
    const firstPages = new Map<number, Promise<ListObjectsV2CommandOutput>>();
    const fetchAhead = (i: number): void => {
      if (i >= prefixes.length || firstPages.has(i)) return;
      const page = this.#listPage(prefixes[i]!);
      page.catch(() => undefined); // awaited below; a consumer that stops early leaves no unhandled rejection
      firstPages.set(i, page);
    };
    for (let i = 0; i < prefixes.length; i++) {
      for (let j = i; j < i + this.#readAhead; j++) fetchAhead(j);
      let page = await firstPages.get(i)!;
      firstPages.delete(i);
      for (;;) {
        yield* this.#objectsOf(page, filter);
        if (!page.IsTruncated || !page.NextContinuationToken) break;
        page = await this.#listPage(prefixes[i]!, undefined, page.NextContinuationToken);
      }
    }
  }

  *#objectsOf(page: ListObjectsV2CommandOutput, filter: KeyFilter): Generator<SourceObject> {
    for (const entry of page.Contents ?? []) {
      const key = entry.Key;
      if (!key || key.endsWith('/') || !keyMatches(key, filter)) continue;
      yield { uri: `s3://${this.bucket}/${key}`, key, size: entry.Size ?? 0, version: (entry.ETag ?? '').replaceAll('"', '') };
    }
  }

  async #listPage(prefix: string, delimiter?: string, continuationToken?: string): Promise<ListObjectsV2CommandOutput> {
    const command = new ListObjectsV2Command({
      Bucket: this.bucket,
      ...(prefix ? { Prefix: prefix } : {}),
      ...(delimiter ? { Delimiter: delimiter } : {}),
      ...(continuationToken ? { ContinuationToken: continuationToken } : {}),
    });
    try {
      return await this.#gate.run(() => this.client.send(command));
    } catch (error) {
      throw S3SourceError.from(`s3://${this.bucket}/${prefix}`, error, 's3:ListBucket');
    }
  }
}

/**
 * The folders below a CloudTrail region folder that cover `since`..`until` (inclusive),
 * in key order: a whole year as `yyyy/`, a whole month as `yyyy/mm/`, other days as
 * `yyyy/mm/dd/`, so a long range costs few listings and never lists a day outside it.
 *
 * @example dateFolders('2024-01-30', '2024-03-01') // ['2024/01/30/', '2024/01/31/', '2024/02/', '2024/03/01/']
 */
export function dateFolders(since: string, until: string): string[] {
  const days = daysBetween(since, until);
  const folders: string[] = [];
  for (let i = 0; i < days.length;) {
    const [yyyy, mm, dd] = days[i]!.split('-') as [string, string, string];
    const year = Number(yyyy);
    const daysInYear = (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 86_400_000;
    const daysInMonth = new Date(Date.UTC(year, Number(mm), 0)).getUTCDate();
    if (mm === '01' && dd === '01' && days[i + daysInYear - 1] === `${yyyy}-12-31`) {
      folders.push(`${yyyy}/`);
      i += daysInYear;
    } else if (dd === '01' && days[i + daysInMonth - 1] === `${yyyy}-${mm}-${daysInMonth}`) {
      folders.push(`${yyyy}/${mm}/`);
      i += daysInMonth;
    } else {
      folders.push(`${yyyy}/${mm}/${dd}/`);
      i += 1;
    }
  }
  return folders;
}

/** The level of the folder a source prefix starts in; undefined inside `AWSLogs/` but outside the logs (digests, Config). */
function locateFolder(folder: string): LayoutFolder | undefined {
  if (!/(?:^|\/)AWSLogs\//.test(folder)) return { prefix: folder, level: 'above', depth: 0 };
  const m = LAYOUT_FOLDER.exec(folder);
  if (!m) return undefined;
  const [, organizationId, account, trailFolder, region, belowRegion] = m;
  if (region !== undefined) return { prefix: folder.slice(0, folder.length - (belowRegion ?? '').length), level: 'region', depth: 0 };
  const level: FolderLevel = trailFolder ? 'trail' : account ? 'account' : organizationId ? 'organization' : 'logs';
  return { prefix: folder, level, depth: 0 };
}

/** What a folder found below `parent` is, or undefined when it cannot hold wanted logs. */
function childFolder(parent: LayoutFolder, prefix: string, filter: KeyFilter): LayoutFolder | undefined {
  const name = prefix.slice(parent.prefix.length, -1);
  const at = (level: FolderLevel, depth = 0): LayoutFolder => ({ prefix, level, depth });
  switch (parent.level) {
    case 'above':
      if (name === 'AWSLogs') return at('logs');
      return parent.depth < AWSLOGS_SEARCH_DEPTH ? at('above', parent.depth + 1) : undefined;
    case 'logs':
      if (/^o-[a-z0-9]+$/.test(name)) return at('organization');
      return /^\d{12}$/.test(name) && allows(filter.accounts, name) ? at('account') : undefined;
    case 'organization':
      return /^\d{12}$/.test(name) && allows(filter.accounts, name) ? at('account') : undefined;
    case 'account':
      return name === 'CloudTrail' || name === 'CloudTrail-Insight' ? at('trail') : undefined;
    case 'trail':
      return /^[a-z0-9-]+$/.test(name) && allows(filter.regions, name) ? at('region') : undefined;
    case 'region':
      return undefined;
  }
}

/** A region folder the source prefix started in or below still has to pass the filter's accounts and regions. */
function regionFolderPasses(prefix: string, filter: KeyFilter): boolean {
  const m = LAYOUT_FOLDER.exec(prefix);
  return !m || (allows(filter.accounts, m[2]) && allows(filter.regions, m[4]));
}

function allows(wanted: readonly string[] | undefined, value: string | undefined): boolean {
  return !wanted?.length || value === undefined || wanted.includes(value);
}

/** Whether some key could be below both prefixes. */
function overlaps(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/** The narrower of a folder and the source prefix, or undefined when no key is below both. */
function narrowTo(folder: string, sourcePrefix: string): string | undefined {
  if (folder.startsWith(sourcePrefix)) return folder;
  return sourcePrefix.startsWith(folder) ? sourcePrefix : undefined;
}

/** At most `size` requests in flight; the rest wait in arrival order. */
class RequestGate {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  async run<T>(request: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await request();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}
