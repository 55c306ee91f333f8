/**
 * Builds CloudTrail log files for tests: records with the fields real ones have, written
 * where CloudTrail would put them, gzip'd as CloudTrail does.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { logFileFolder, logFileName } from '../../src/cloudtrail/log-file-key.js';

export type TestRecord = Record<string, unknown>;

let counter = 0;

/** A deterministic UUID-shaped id. */
export function eventId(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

export function record(overrides: TestRecord = {}): TestRecord {
  const n = ++counter;
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAEXAMPLE',
      userName: 'alice',
    },
    eventTime: '2024-03-09T12:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { instancesSet: {}, filterSet: {} },
    responseElements: null,
    requestID: `req-${n}`,
    eventID: eventId(n),
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
    ...overrides,
  };
}

export interface LogFileSpec {
  readonly account?: string;
  readonly region?: string;
  /** yyyy-mm-dd */
  readonly date?: string;
  readonly organizationId?: string;
  readonly records: TestRecord[];
  /** Delivery minute within the day, to make distinct file names. */
  readonly minute?: number;
  readonly gzip?: boolean;
}

/** Writes one log file where CloudTrail would, returns its path relative to `root`. */
export async function writeLogFile(root: string, spec: LogFileSpec): Promise<string> {
  const account = spec.account ?? '111122223333';
  const region = spec.region ?? 'us-east-1';
  const date = spec.date ?? '2024-03-09';
  const minute = spec.minute ?? ++counter;
  const at = new Date(Date.parse(`${date}T00:00:00Z`) + (minute % 1440) * 60_000);
  const key = logFileFolder(account, region, date, spec.organizationId) + logFileName(account, region, at, `id${minute}`);
  const body = JSON.stringify({ Records: spec.records });
  await writeRaw(root, spec.gzip === false ? key.replace(/\.gz$/, '') : key, spec.gzip === false ? body : gzipSync(body));
  return spec.gzip === false ? key.replace(/\.gz$/, '') : key;
}

export async function writeRaw(root: string, key: string, content: string | Uint8Array): Promise<string> {
  const path = join(root, key);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  return path;
}

/** A temporary folder removed when the test ends. */
export async function tempDir(t: { after: (fn: () => Promise<void>) => void }, prefix = 'trailscope-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
