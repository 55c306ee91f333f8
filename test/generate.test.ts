import { GetObjectCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { parseLogFileKey } from '../src/cloudtrail/log-file-key.js';
import { iamUserCaller, roleSessionCaller, serviceCaller } from '../src/demo/actors/callers.js';
import { userAgentFor } from '../src/demo/actors/user-agents.js';
import { LogFileAssembler, type DeliveredLogFile } from '../src/demo/delivery.js';
import { API_CALLS } from '../src/demo/event-catalog.js';
import { EventRecorder, type Caller } from '../src/demo/event-recorder.js';
import { FolderSink, generateCloudTrail, type GenerateOptions, type GenerateSummary, type LogFileSink } from '../src/demo/generate.js';
import { awsServiceIdentity, type RoleSession } from '../src/demo/identities.js';
import { createS3Client } from '../src/sources/s3-client.js';
import { S3Sink } from '../src/sources/s3-sink.js';
import { startS3rver, type S3rverProcess } from './support/s3rver.js';
import { SeededRandom } from '../src/demo/random.js';
import { createWorld } from '../src/demo/world.js';

/** Keeps generated files in memory, keyed as they would be in the bucket. */
class MemorySink implements LogFileSink {
  readonly files = new Map<string, Uint8Array>();
  async write(key: string, bytes: Uint8Array): Promise<void> {
    assert.ok(!this.files.has(key), `written twice: ${key}`);
    this.files.set(key, bytes);
  }
}

/** One hash over every key and its bytes, in key order. */
function treeHash(files: ReadonlyMap<string, Uint8Array>): string {
  const hash = createHash('sha256');
  for (const key of [...files.keys()].sort()) hash.update(key).update('\0').update(files.get(key)!).update('\0');
  return hash.digest('hex');
}

async function generate(options: GenerateOptions): Promise<{ summary: GenerateSummary; files: Map<string, Uint8Array> }> {
  const sink = new MemorySink();
  const summary = await generateCloudTrail(options, sink);
  return { summary, files: sink.files };
}

type CloudTrailRecord = Record<string, unknown> & {
  eventTime: string;
  eventID: string;
  eventName: string;
  eventSource: string;
  awsRegion: string;
  recipientAccountId: string;
  sourceIPAddress: string;
  userIdentity: Record<string, unknown> & { sessionContext?: { sessionIssuer?: { userName?: string } } };
};

interface LogFile {
  readonly key: string;
  readonly account: string;
  readonly region: string;
  readonly records: CloudTrailRecord[];
}

const SMALL: GenerateOptions = { days: 3, eventsPerDay: 2000, seed: 'generate-test' };
const LOG_KEY =
  /^AWSLogs\/(o-[a-z0-9]{10})\/(\d{12})\/CloudTrail\/([a-z]{2}-[a-z]+-\d)\/(\d{4})\/(\d{2})\/(\d{2})\/\2_CloudTrail_\3_(\d{8}T\d{4}Z)_[A-Za-z0-9]{16}\.json\.gz$/;
const DIGEST_KEY =
  /^AWSLogs\/(o-[a-z0-9]{10})\/(\d{12})\/CloudTrail-Digest\/([a-z]{2}-[a-z]+-\d)\/(\d{4})\/(\d{2})\/(\d{2})\/\2_CloudTrail-Digest_\3_[a-z0-9-]+_us-east-1_(\d{8}T\d{6}Z)\.json\.gz$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EVENT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('generateCloudTrail(options, sink)', () => {
  let summary: GenerateSummary;
  let files: Map<string, Uint8Array>;
  let logs: LogFile[];
  let records: CloudTrailRecord[];

  before(async () => {
    ({ summary, files } = await generate(SMALL));
    logs = [];
    for (const [key, bytes] of files) {
      const parsed = parseLogFileKey(key);
      if (parsed.kind !== 'log') continue;
      const body = JSON.parse(gunzipSync(bytes).toString('utf8')) as { Records: CloudTrailRecord[] };
      logs.push({ key, account: parsed.account!, region: parsed.region!, records: body.Records });
    }
    records = logs.flatMap((f) => f.records);
  });

  it('writes the same bytes for the same seed, and other bytes for another seed', async () => {
    const again = await generate(SMALL);
    assert.equal(again.files.size, files.size);
    assert.equal(treeHash(again.files), treeHash(files));
    assert.deepEqual(again.summary.answers, summary.answers);
    const other = await generate({ ...SMALL, seed: 'another-seed' });
    assert.notEqual(treeHash(other.files), treeHash(files));
  });

  it('writes the same bytes on worker threads as on the main thread', async () => {
    const options: GenerateOptions = { days: 3, eventsPerDay: 600, seed: 'threads' };
    const threaded = await withoutWarnings(() => generate({ ...options, threads: 2 }));
    assert.equal(treeHash(threaded.files), treeHash((await generate({ ...options, threads: 1 })).files));
  });

  it('reports what it wrote', () => {
    const digestKeys = [...files.keys()].filter((k) => parseLogFileKey(k).kind === 'digest');
    assert.equal(summary.files, logs.length);
    assert.equal(summary.digestFiles, digestKeys.length);
    assert.equal(summary.files + summary.digestFiles, files.size);
    assert.equal(summary.events, records.length);
    assert.equal(
      summary.bytes,
      [...files.values()].reduce((n, b) => n + b.byteLength, 0),
    );
    // about eventsPerDay a day: the actors' budgets are calibrated, not exact
    assert.ok(records.length > 0.75 * 3 * 2000 && records.length < 1.35 * 3 * 2000, `${records.length} records`);
  });

  it('names and places every file as an organization trail delivers it', () => {
    const accounts = new Set(summary.answers.accounts.map((a) => a.id));
    assert.equal(accounts.size, 3);
    for (const key of files.keys()) {
      const parsed = parseLogFileKey(key);
      if (parsed.kind === 'log') {
        const m = LOG_KEY.exec(key);
        assert.ok(m, `log key not in CloudTrail's layout: ${key}`);
        assert.equal(m[1], summary.answers.organizationId);
        assert.ok(accounts.has(m[2]!), key);
        assert.equal(parsed.account, m[2]);
        assert.equal(parsed.region, m[3]);
        assert.equal(parsed.date, `${m[4]}-${m[5]}-${m[6]}`);
        assert.equal(parsed.deliveredAt, m[7]);
        assert.equal(m[7]!.slice(0, 8), `${m[4]}${m[5]}${m[6]}`, 'the day folder is the delivery day');
      } else {
        assert.equal(parsed.kind, 'digest', `neither a log nor a digest: ${key}`);
        assert.ok(DIGEST_KEY.test(key), `digest key not in CloudTrail's layout: ${key}`);
      }
    }
    assert.ok(logs.length > 500, `${logs.length} log files: CloudTrail delivers a file per account, region and five minutes`);
  });

  it('fills each log file with complete records of its account and region', () => {
    const eventTypes = new Set(['AwsApiCall', 'AwsConsoleSignIn', 'AwsServiceEvent']);
    for (const file of logs) {
      assert.ok(file.records.length > 0, file.key);
      for (const r of file.records) {
        assert.ok(['1.08', '1.09'].includes(r.eventVersion as string));
        assert.equal(typeof r.userIdentity, 'object');
        assert.ok(r.userIdentity.type !== undefined || r.userIdentity.invokedBy !== undefined, JSON.stringify(r.userIdentity));
        assert.match(r.eventTime, EVENT_TIME);
        assert.match(r.eventSource, /^[a-z0-9-]+\.amazonaws\.com$/);
        assert.match(r.eventName, /^[A-Za-z0-9]+$/);
        assert.equal(r.awsRegion, file.region);
        assert.equal(r.recipientAccountId, file.account);
        assert.equal(typeof r.sourceIPAddress, 'string');
        assert.equal(typeof r.userAgent, 'string');
        assert.ok('requestParameters' in r && 'responseElements' in r);
        assert.match(r.eventID, UUID);
        assert.ok(eventTypes.has(r.eventType as string));
        assert.equal(typeof r.readOnly, 'boolean');
        assert.equal(typeof r.managementEvent, 'boolean');
        assert.equal(r.eventCategory, r.managementEvent ? 'Management' : 'Data');
        if (r.errorCode !== undefined) assert.equal(typeof r.errorMessage, 'string');
        if (r.eventCategory === 'Data') {
          const resources = r.resources as { type: string; ARN: string }[];
          assert.deepEqual(
            resources.map((x) => x.type),
            r.eventName === 'ListObjects' ? ['AWS::S3::Bucket'] : ['AWS::S3::Object', 'AWS::S3::Bucket'],
          );
        }
      }
    }
    assert.equal(new Set(records.map((r) => r.eventID)).size, records.length, 'eventIDs are unique');
  });

  it('writes the variety of a real organization: sources, identities, errors, console sign-ins', () => {
    const sources = new Set(records.map((r) => r.eventSource));
    const names = new Set(records.map((r) => `${r.eventSource}:${r.eventName}`));
    const types = new Set(records.map((r) => r.userIdentity.type as string | undefined));
    assert.ok(sources.size >= 30, `${sources.size} event sources`);
    assert.ok(names.size >= 150, `${names.size} event names`);
    for (const type of ['IAMUser', 'AssumedRole', 'AWSService', 'WebIdentityUser', 'IdentityCenterUser', 'Root'])
      assert.ok(types.has(type), `no ${type} identity`);
    assert.ok(
      records.some((r) => r.userIdentity.sessionContext?.sessionIssuer?.userName?.startsWith('AWSReservedSSO_')),
      'no SSO session',
    );
    assert.ok(
      records.some((r) => r.userIdentity.accountId !== undefined && r.userIdentity.accountId !== r.recipientAccountId),
      'no cross-account call',
    );
    const readOnly = records.filter((r) => r.readOnly).length / records.length;
    assert.ok(readOnly > 0.6, `${readOnly} read-only`);
    const failed = records.filter((r) => r.errorCode !== undefined).length / records.length;
    assert.ok(failed > 0.01 && failed < 0.1, `${failed} failed`);
    const logins = records.filter((r) => r.eventName === 'ConsoleLogin');
    assert.ok(logins.length > 0);
    for (const login of logins) {
      assert.equal(login.eventType, 'AwsConsoleSignIn');
      assert.deepEqual(login.responseElements, { ConsoleLogin: 'Success' });
      assert.ok(['Yes', 'No'].includes((login.additionalEventData as { MFAUsed: string }).MFAUsed));
    }
    assert.ok(records.some((r) => r.eventCategory === 'Data' && r.eventName === 'GetObject'));
  });

  it('leaves records unsorted within files, as CloudTrail does', () => {
    const unsorted = logs.filter((f) => f.records.some((r, i) => i > 0 && r.eventTime < f.records[i - 1]!.eventTime));
    assert.ok(unsorted.length > 10, `${unsorted.length} unsorted files`);
  });

  it('has people working on weekdays and automation every day', () => {
    // The default range ends on Saturday 2026-10-31: three days give Thursday, Friday, Saturday.
    assert.equal(summary.answers.start, '2026-10-29');
    const isPerson = (r: CloudTrailRecord): boolean =>
      r.userIdentity.sessionContext?.sessionIssuer?.userName?.startsWith('AWSReservedSSO_') === true ||
      (r.userIdentity.type === 'IAMUser' && !String(r.userIdentity.userName).startsWith('svc-'));
    const perDay = (day: string, person: boolean): number =>
      records.filter((r) => r.eventTime.startsWith(day) && isPerson(r) === person).length;
    const weekdays = (perDay('2026-10-29', true) + perDay('2026-10-30', true)) / 2;
    const saturday = perDay('2026-10-31', true);
    assert.ok(weekdays > 5 * saturday, `people: ${weekdays} a weekday, ${saturday} on Saturday`);
    assert.ok(perDay('2026-10-31', false) > 0.5 * perDay('2026-10-30', false), 'automation keeps running at weekends');
    const nightHours = records.filter((r) => isPerson(r) && r.eventTime.startsWith('2026-10-30') && /T0[0-2]:/.test(r.eventTime)).length;
    assert.ok(nightHours < 0.1 * weekdays, `${nightHours} people events between 00:00 and 03:00 UTC`);
  });

  it('writes hourly digests that list the log files with their SHA-256', () => {
    const digests = [...files].filter(([key]) => parseLogFileKey(key).kind === 'digest');
    let listed = 0;
    for (const [key, bytes] of digests) {
      const digest = JSON.parse(gunzipSync(bytes).toString('utf8')) as {
        digestStartTime: string;
        digestEndTime: string;
        digestS3Object: string;
        logFiles: { s3Object: string; hashValue: string; hashAlgorithm: string }[];
      };
      assert.equal(digest.digestS3Object, key);
      assert.equal(Date.parse(digest.digestEndTime) - Date.parse(digest.digestStartTime), 3_600_000);
      for (const f of digest.logFiles) {
        const log = files.get(f.s3Object);
        assert.ok(log, `digest lists a missing file ${f.s3Object}`);
        assert.equal(f.hashAlgorithm, 'SHA-256');
        if (listed++ % 50 === 0) assert.equal(f.hashValue, createHash('sha256').update(gunzipSync(log)).digest('hex'));
      }
    }
    assert.equal(listed, logs.length, 'every log file is in exactly one digest');
  });

  it('plants every incident, with distinct event ids found in the logs', () => {
    const incidents = summary.answers.incidents;
    assert.deepEqual(
      incidents.map((i) => i.id),
      [
        'leaked-access-key-recon',
        'access-key-created-for-another-user',
        'security-group-open-to-world',
        'root-console-login-without-mfa',
        'cloudtrail-stopped-and-deleted',
        's3-bucket-policy-made-public',
        's3-exfiltration-burst',
      ],
    );
    const byId = new Map(records.map((r) => [r.eventID, r]));
    const all = incidents.flatMap((i) => i.eventIds);
    assert.equal(new Set(all).size, all.length, 'an event belongs to one incident');
    for (const incident of incidents) {
      assert.ok(incident.eventIds.length > 0, incident.id);
      assert.ok(incident.title.length > 0 && incident.description.length > 0);
      assert.match(incident.sql, /^SELECT [\s\S]+\nFROM cloudtrail_logs\nWHERE /);
      for (const id of incident.eventIds) assert.ok(byId.has(id), `${incident.id}: ${id} is not in the logs`);
    }
    const recon = incidents[0]!.eventIds.map((id) => byId.get(id)!);
    assert.ok(
      recon.length >= 40 && recon.filter((r) => r.errorCode !== undefined).length >= 10,
      'a recon burst with an AccessDenied spike',
    );
    assert.ok(incidents[6]!.eventIds.length >= 100, 'a burst of GetObject');
  });

  it("creates www.<domain>. in Route 53, as in seed 003's example", () => {
    const created = records.filter((r) => {
      const change = (
        r.requestParameters as { changeBatch?: { changes: { action: string; resourceRecordSet: { name: string } }[] } } | null
      )?.changeBatch?.changes[0];
      return (
        r.eventName === 'ChangeResourceRecordSets' &&
        change?.action === 'CREATE' &&
        change.resourceRecordSet.name === `www.${summary.answers.domain}.`
      );
    });
    assert.ok(created.length >= 1);
  });

  it("finds each incident's events, and only them, by the conditions its SQL states", () => {
    const { incidents } = summary.answers;
    const key = (r: CloudTrailRecord): string | undefined => r.userIdentity.accessKeyId as string | undefined;
    const sqlValue = (sql: string, column: string): string => new RegExp(`${column.replace('.', '\\.')} = '([^']+)'`).exec(sql)![1]!;
    const conditions: Record<string, (r: CloudTrailRecord) => boolean> = {
      'leaked-access-key-recon': (r) =>
        key(r) === sqlValue(incidents[0]!.sql, 'useridentity.accesskeyid') &&
        r.sourceIPAddress === sqlValue(incidents[0]!.sql, 'sourceipaddress') &&
        r.readOnly === true,
      'access-key-created-for-another-user': (r) =>
        r.eventName === 'CreateAccessKey' &&
        key(r) === sqlValue(incidents[1]!.sql, 'useridentity.accesskeyid') &&
        (r.requestParameters as { userName?: string } | null)?.userName !== r.userIdentity.userName,
      'security-group-open-to-world': (r) =>
        r.eventName === 'AuthorizeSecurityGroupIngress' && JSON.stringify(r.requestParameters).includes('"cidrIp":"0.0.0.0/0"'),
      'root-console-login-without-mfa': (r) =>
        r.eventName === 'ConsoleLogin' &&
        r.userIdentity.type === 'Root' &&
        (r.additionalEventData as { MFAUsed?: string }).MFAUsed === 'No',
      'cloudtrail-stopped-and-deleted': (r) =>
        r.eventSource === 'cloudtrail.amazonaws.com' && ['StopLogging', 'DeleteTrail'].includes(r.eventName),
      's3-bucket-policy-made-public': (r) => {
        const statement = (r.requestParameters as { bucketPolicy?: { Statement: { Effect: string; Principal: unknown }[] } } | null)
          ?.bucketPolicy?.Statement[0];
        return r.eventName === 'PutBucketPolicy' && statement?.Effect === 'Allow' && statement.Principal === '*';
      },
      's3-exfiltration-burst': (r) => r.eventName === 'GetObject' && key(r) === sqlValue(incidents[6]!.sql, 'useridentity.accesskeyid'),
    };
    for (const incident of incidents) {
      const found = records
        .filter(conditions[incident.id]!)
        .map((r) => r.eventID)
        .sort();
      assert.deepEqual(found, [...incident.eventIds].sort(), incident.id);
    }
  });

  it('has a catalog of about forty event sources and hundreds of event names', () => {
    assert.ok(new Set(API_CALLS.map((c) => c.eventSource)).size >= 40);
    assert.ok(API_CALLS.length >= 300);
    assert.equal(new Set(API_CALLS.map((c) => c.key)).size, API_CALLS.length);
  });

  it('fails with the error of a sink that cannot write', async () => {
    let writes = 0;
    const broken: LogFileSink = {
      async write() {
        if (++writes === 40) throw new Error('disk full');
      },
    };
    await assert.rejects(generateCloudTrail({ ...SMALL, days: 1 }, broken), /disk full/);
  });

  it('rejects options out of range', async () => {
    const sink = new MemorySink();
    await assert.rejects(generateCloudTrail({ days: 0 }, sink), RangeError);
    await assert.rejects(generateCloudTrail({ start: '2026-02-30' }, sink), RangeError);
    await assert.rejects(generateCloudTrail({ accounts: 0 }, sink), RangeError);
    assert.equal(sink.files.size, 0);
  });
});

/** Every file below `dir`, keyed by its path relative to it (as a bucket key). */
async function readTree(dir: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath ?? e.path, e.name);
    files.set(relative(dir, path).split(sep).join('/'), await readFile(path));
  }
  return files;
}

/** Runs `body`, failing if the generator warned that its worker threads did not run. */
async function withoutWarnings<T>(body: () => Promise<T>): Promise<T> {
  const warnings: Error[] = [];
  const onWarning = (w: Error): void => void (w.name === 'TrailscopeDemoWarning' && warnings.push(w));
  process.on('warning', onWarning);
  try {
    const result = await body();
    await new Promise((done) => setImmediate(done));
    assert.deepEqual(
      warnings.map((w) => w.message),
      [],
      'the worker threads ran',
    );
    return result;
  } finally {
    process.off('warning', onWarning);
  }
}

describe('FolderSink(dir)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trailscope-demo-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gets the same files from the main thread and worker threads writing it directly as any other sink', async () => {
    const options: GenerateOptions = { days: 3, eventsPerDay: 600, seed: 'folder-threads' };
    const threaded = join(dir, 'threaded');
    const summary = await withoutWarnings(() => generateCloudTrail({ ...options, threads: 3 }, new FolderSink(threaded)));
    await generateCloudTrail({ ...options, threads: 1 }, new FolderSink(join(dir, 'inline')));
    const written = await readTree(threaded);
    assert.equal(written.size, summary.files + summary.digestFiles);
    assert.equal(
      summary.bytes,
      [...written.values()].reduce((n, b) => n + b.byteLength, 0),
    );
    assert.equal(treeHash(written), treeHash(await readTree(join(dir, 'inline'))));
    assert.equal(treeHash(written), treeHash((await generate(options)).files));
  });

  it('fails with the error of a folder that cannot be written, whichever thread writes', async () => {
    const blocked = join(dir, 'blocked');
    await writeFile(blocked, 'a file where the folder should be');
    // Two days both go to the worker first; with a third the main thread writes one too.
    for (const days of [2, 3]) {
      await withoutWarnings(() =>
        assert.rejects(generateCloudTrail({ days, eventsPerDay: 300, seed: 'blocked', threads: 2 }, new FolderSink(blocked)), {
          code: 'ENOTDIR',
        }),
      );
    }
  });

  it('writes each key as a path below the folder', async () => {
    const out = join(dir, 'one');
    const summary = await generateCloudTrail({ days: 1, eventsPerDay: 300, accounts: 1, seed: 'folder' }, new FolderSink(out));
    const written = await readTree(out);
    assert.equal(written.size, summary.files + summary.digestFiles);
    const one = [...written].find(([key]) => key.includes('_CloudTrail_'))!;
    assert.ok(LOG_KEY.test(one[0]), one[0]);
    const body = JSON.parse(gunzipSync(one[1]).toString('utf8')) as { Records: unknown[] };
    assert.ok(body.Records.length > 0);
  });

  it('refuses keys that lead outside the folder', async () => {
    await assert.rejects(new FolderSink(dir).write('../escape.json.gz', new Uint8Array([1])), /outside/);
  });
});

describe('generateCloudTrail into S3Sink(s3://bucket/prefix)', () => {
  let dir: string;
  let s3: S3rverProcess;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trailscope-demo-s3-'));
    s3 = await startS3rver(dir, ['demo-trail']);
  });
  after(async () => {
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('uploads from the main thread the bytes the worker threads made', async () => {
    const options: GenerateOptions = { days: 2, eventsPerDay: 150, accounts: 1, seed: 's3' };
    const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
    const summary = await withoutWarnings(() =>
      generateCloudTrail({ ...options, threads: 2 }, new S3Sink('s3://demo-trail/trail', { endpointUrl: s3.endpointUrl, credentials })),
    );
    const expected = (await generate(options)).files;
    assert.equal(summary.files + summary.digestFiles, expected.size);
    const client = createS3Client({ endpointUrl: s3.endpointUrl, credentials });
    try {
      for (const [key, bytes] of expected) {
        const object = await client.send(new GetObjectCommand({ Bucket: 'demo-trail', Key: `trail/${key}` }));
        assert.deepEqual(await object.Body!.transformToByteArray(), new Uint8Array(bytes), key);
      }
    } finally {
      client.destroy();
    }
  });
});

describe('EventRecorder', () => {
  it('writes into log files exactly the records it would keep as JSON text', () => {
    const world = createWorld('recorder-test', 3);
    const day = 20_500;
    const listed = new EventRecorder(world, SeededRandom.from('same'));
    const delivered: DeliveredLogFile[] = [];
    const files = new LogFileAssembler(world, day, (f) => void delivered.push(f));
    const written = new EventRecorder(world, SeededRandom.from('same'), files);
    const account = world.org.accounts[1]!;
    const session: RoleSession = {
      accountId: account.id,
      roleName: 'AWSReservedSSO_PowerUserAccess_0123456789abcdef',
      rolePath: '/aws-reserved/sso.amazonaws.com/',
      roleId: 'AROAEXAMPLEEXAMPLE0',
      sessionName: 'ana@example.com',
      accessKeyId: 'ASIAEXAMPLEEXAMPLE00',
      creationDate: day * 86_400_000,
      mfaAuthenticated: false,
      sourceIdentity: 'ana',
    };
    const cli = roleSessionCaller(session, '198.51.100.7', userAgentFor('cli', 'aws-cli/2.17.0 md/prompt#off'), { userName: 'ana' });
    const callers: Caller[] = [
      cli,
      { ...cli, tls: 'TLSv1.2' },
      roleSessionCaller(session, '198.51.100.8', userAgentFor('console', 'Mozilla/5.0 (X11)'), { console: true }),
      iamUserCaller(world.directory.leakedUser, '198.51.100.9', userAgentFor('sdk', 'aws-sdk-js/3.600.0')),
      serviceCaller(awsServiceIdentity('lambda.amazonaws.com'), 'lambda.amazonaws.com'),
      cli.via!('s3.amazonaws.com'),
    ];
    let time = day * 86_400_000;
    let n = 0;
    for (const call of API_CALLS) {
      for (const caller of callers) {
        const where = world.org.accounts[n % 3]!;
        const region = world.org.enabledRegions[n % 4]!;
        const options = { errorRate: 0.3, ...(n % 17 === 0 ? { sharedEventID: `shared-${n}` } : {}) };
        listed.record(caller, call, where, region, time, options);
        written.record(caller, call, where, region, time, options);
        time += 5_000;
        n++;
      }
    }
    const normal = (records: unknown[]): string[] =>
      records.map((r) => JSON.stringify(r)).sort((a, b) => (JSON.parse(a).eventID < JSON.parse(b).eventID ? -1 : 1));
    files.finish();
    const fromFiles = delivered.flatMap((f) => (JSON.parse(gunzipSync(f.bytes).toString('latin1')) as { Records: unknown[] }).Records);
    assert.equal(fromFiles.length, n);
    assert.deepEqual(normal(fromFiles), normal(listed.records.map((r) => JSON.parse(r.json))));
  });
});
