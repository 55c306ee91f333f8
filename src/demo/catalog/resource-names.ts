/**
 * ARNs, availability zones and S3 object keys as the services spell them, shared by the
 * catalog's request shapes and the planted incidents.
 */
import type { Bucket } from '../inventory.js';
import type { SeededRandom } from '../random.js';

export const roleArn = (account: string, name: string, path = '/'): string => `arn:aws:iam::${account}:role${path}${name}`;
export const policyArn = (account: string, name: string): string => `arn:aws:iam::${account}:policy/${name}`;
export const functionArn = (region: string, account: string, name: string): string =>
  `arn:aws:lambda:${region}:${account}:function:${name}`;
export const logGroupArn = (region: string, account: string, name: string): string => `arn:aws:logs:${region}:${account}:log-group:${name}`;
export const tableArn = (region: string, account: string, name: string): string => `arn:aws:dynamodb:${region}:${account}:table/${name}`;
export const queueUrl = (region: string, account: string, name: string): string => `https://sqs.${region}.amazonaws.com/${account}/${name}`;

export const availabilityZone = (region: string, rng: SeededRandom): string => region + rng.pick(['a', 'b', 'c']);

/** The zone id of an account's `a` zone (`use1-az4`): ids, unlike names, are the same in every account. */
export function availabilityZoneId(region: string): string {
  const [area, direction, n] = region.split('-');
  const short = direction!.replace('north', 'n').replace('south', 's').replace('east', 'e').replace('west', 'w').replace('central', 'c');
  return `${area}${short}${n}-az${((region.charCodeAt(0) + region.charCodeAt(3) + region.length) % 3) + 1}`;
}

const DAY_MS = 86_400_000;
const dayNames = new Map<number, string>();

/** `yyyy-mm-dd` of a time: object keys and Athena partitions are named by day. */
export function dayOf(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let name = dayNames.get(day);
  if (name === undefined) dayNames.set(day, (name = new Date(day * DAY_MS).toISOString().slice(0, 10)));
  return name;
}

/** The virtual-hosted endpoint a client addresses for a bucket. */
export const bucketHost = (bucket: Bucket): string => bucket.host;

const UPLOAD_NAMES = ['avatar.jpg', 'invoice.pdf', 'receipt.png', 'contract.pdf', 'photo.jpeg', 'statement.csv'];
const REPORTS = ['revenue', 'active-customers', 'churn', 'orders-by-region', 'refunds'];

/** A key in the style of what the bucket holds, dated by the event's day. */
export function objectKey(bucket: Bucket, ms: number, rng: SeededRandom): string {
  const day = dayOf(ms);
  const yyyy = day.slice(0, 4);
  const mm = day.slice(5, 7);
  const dd = day.slice(8, 10);
  switch (bucket.keyStyle) {
    case 'exports':
      return `exports/${yyyy}/${mm}/${dd}/customers-${String(rng.int(400)).padStart(5, '0')}.csv.gz`;
    case 'uploads':
      return `uploads/${yyyy}/${mm}/${rng.hex(12)}/${rng.pick(UPLOAD_NAMES)}`;
    case 'lake':
      return `raw/${rng.pick(['clickstream', 'api_access_logs', 'orders'])}/dt=${day}/part-${String(rng.int(64)).padStart(5, '0')}-${rng.hex(8)}.snappy.parquet`;
    case 'reports':
      return `reports/daily/${day}/${rng.pick(REPORTS)}.csv`;
    case 'artifacts':
      return `builds/${rng.pick(['api', 'worker', 'web'])}/${rng.hex(7)}.zip`;
    case 'backups':
      return `rds/${day}/dump-${rng.hex(6)}.sql.gz`;
    case 'trail':
      return `AWSLogs/${day}/${rng.hex(16)}.json.gz`;
  }
}

/** S3's opaque `x-amz-id-2` host id. */
export const hostId = (rng: SeededRandom): string => `${rng.mixedAlnum(43)}/${rng.mixedAlnum(12)}=`;
