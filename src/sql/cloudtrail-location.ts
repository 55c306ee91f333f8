/**
 * What part of a trail an Athena table's `LOCATION` covers. CloudTrail writes
 * `s3://<bucket>/[<prefix>/]AWSLogs/[<o-org>/]<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/`,
 * and a table over any of those prefixes reads that account, region or period only; a
 * registered table keeps to the same part of the lake.
 *
 * @example
 * parseCloudTrailLocation('s3://b/AWSLogs/123456789012/CloudTrail/us-east-1/2017/05/')
 * // { uri, account: '123456789012', region: 'us-east-1', year: '2017', month: '05' }
 */

/** The part of the lake a table reads: missing fields are not restricted. */
export interface LakeScope {
  readonly account?: string;
  readonly region?: string;
  readonly year?: string;
  readonly month?: string;
  readonly day?: string;
  /** `yyyy-mm-dd`, inclusive: the days a projected date partition's range names. */
  readonly since?: string;
  readonly until?: string;
}

export interface CloudTrailLocation extends LakeScope {
  readonly uri: string;
}

const SEGMENTS = ['account', 'cloudtrail', 'region', 'year', 'month', 'day'] as const;
const PATTERNS: Record<(typeof SEGMENTS)[number], RegExp> = {
  account: /^\d{12}$/,
  cloudtrail: /^CloudTrail$/,
  region: /^[a-z]{2}(-[a-z]+)+-\d+$/,
  year: /^\d{4}$/,
  month: /^(0[1-9]|1[0-2])$/,
  day: /^(0[1-9]|[12]\d|3[01])$/,
};

/**
 * The scope of a CloudTrail `LOCATION`, or `undefined` when the URI is not a CloudTrail
 * prefix (no `AWSLogs/` folder). A location that stops at `AWSLogs/` covers every account.
 */
export function parseCloudTrailLocation(uri: string): CloudTrailLocation | undefined {
  const m = /^(?:s3a?|s3n|file):\/\/[^/]*\/(.*)$/i.exec(uri.trim());
  if (!m) return undefined;
  const parts = m[1]!.split('/').filter(Boolean);
  const at = parts.indexOf('AWSLogs');
  if (at < 0) return undefined;
  let rest = parts.slice(at + 1);
  if (rest[0] && /^o-[a-z0-9]{10,32}$/.test(rest[0])) rest = rest.slice(1);
  const scope: Record<string, string> = {};
  for (let k = 0; k < rest.length && k < SEGMENTS.length; k++) {
    const segment = SEGMENTS[k]!;
    if (!PATTERNS[segment].test(rest[k]!)) return undefined;
    if (segment !== 'cloudtrail') scope[segment] = rest[k]!;
  }
  return { uri, ...scope };
}

/** `account 123456789012, us-east-1, 2017-05` — for messages. */
export function describeScope(scope: LakeScope): string {
  const parts: string[] = [];
  if (scope.account) parts.push(`account ${scope.account}`);
  if (scope.region) parts.push(scope.region);
  const date = [scope.year, scope.month, scope.day].filter(Boolean).join('-');
  if (date) parts.push(date);
  if (scope.since || scope.until) parts.push(`days ${scope.since ?? '…'} to ${scope.until ?? 'now'}`);
  return parts.length ? parts.join(', ') : 'the whole lake';
}

export function inScope(scope: LakeScope, partition: Readonly<Record<string, string>>): boolean {
  if (!(['account', 'region', 'year', 'month', 'day'] as const).every((k) => scope[k] === undefined || partition[k] === scope[k]))
    return false;
  if (!scope.since && !scope.until) return true;
  const day = `${partition.year}-${partition.month}-${partition.day}`;
  return (!scope.since || day >= scope.since) && (!scope.until || day <= scope.until);
}
