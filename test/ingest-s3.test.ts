import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createS3Client, putObject } from '../src/sources/s3-source.js';
import { query } from '../src/sql/query.js';
import { runCli } from './support/cli.js';
import { record, writeLogFile } from './support/log-files.js';
import { startS3rver, type S3rverProcess } from './support/s3rver.js';

const BUCKET = 'org-trail';

describe('trailscope ingest s3://…', () => {
  let dir: string;
  let s3: S3rverProcess;
  const env = () => ({
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: s3.endpointUrl,
  });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trailscope-s3-'));
    s3 = await startS3rver(join(dir, 's3'), [BUCKET]);
    const client = createS3Client({ endpointUrl: s3.endpointUrl, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const logs = join(dir, 'logs');
    for (const date of ['2024-05-01', '2024-05-02', '2024-05-03']) {
      for (const account of ['111122223333', '444455556666']) {
        const records = [
          record({ eventTime: `${date}T10:00:00Z`, recipientAccountId: account }),
          record({ eventTime: `${date}T11:00:00Z`, recipientAccountId: account }),
        ];
        const key = await writeLogFile(logs, { date, account, organizationId: 'o-abc123def4', records });
        await putObject(client, BUCKET, `cloudtrail/${key}`, await readFile(join(logs, key)));
      }
    }
    await putObject(
      client,
      BUCKET,
      'cloudtrail/AWSLogs/o-abc123def4/111122223333/CloudTrail/us-east-1/2024/05/02/111122223333_CloudTrail_us-east-1_20240502T2355Z_bad.json.gz',
      new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]),
    );
    client.destroy();
  });
  after(async () => {
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('ingests an organization trail from a bucket, with a date range and an account, and names the bad object', async () => {
    const lake = join(dir, 'lake');
    const run = await runCli(
      [
        'ingest',
        `s3://${BUCKET}/cloudtrail/`,
        '--lake',
        lake,
        '--since',
        '2024-05-02',
        '--until',
        '2024-05-03',
        '--account',
        '111122223333',
      ],
      { env: env() },
    );
    assert.equal(run.code, 3, run.stderr);
    assert.equal(run.stderr, '', "nothing on stderr: not the AWS SDK's notice about Node versions either");
    assert.match(run.stdout, /files: 2 ingested, 0 skipped, 1 rejected/);
    assert.match(run.stdout, /rejected s3:\/\/org-trail\/cloudtrail\/AWSLogs\/.*_bad\.json\.gz: (truncated|corrupt) gzip/);
    const days = (await query({ lake }, `select day, count(*) as n from cloudtrail_logs group by day order by day`)).rows;
    assert.deepEqual(days, [
      { day: '02', n: 2 },
      { day: '03', n: 2 },
    ]);

    const again = await runCli(['ingest', `s3://${BUCKET}/cloudtrail/`, '--lake', lake], { env: env() });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /files: 4 ingested, 0 skipped, 0 rejected, 3 unchanged/);
    assert.equal(Number((await query({ lake }, 'select count(*) as n from cloudtrail_logs')).rows[0]!.n), 12);
  });

  it('says what to do when the bucket does not exist', async () => {
    const run = await runCli(['ingest', 's3://no-such-bucket/x/', '--lake', join(dir, 'lake2')], { env: env() });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no-such-bucket/);
  });
});
