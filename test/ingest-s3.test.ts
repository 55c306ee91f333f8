import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingest } from '../src/ingest/ingest.js';
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

  it('reads again on the next run an object whose fetch failed (S3 throttling), instead of recording it as rejected', async () => {
    // A proxy in front of s3rver that answers object GETs with 503 SlowDown while `failing` is set.
    let failing = true;
    const target = new URL(s3.endpointUrl);
    const proxy = createServer((req, res) => {
      if (failing && req.method === 'GET' && !req.url!.includes('list-type')) {
        res.writeHead(503, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
        return;
      }
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode!, r.headers);
          r.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const s3Options = {
        endpointUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
        maxAttempts: 1,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      };
      const lake = join(dir, 'lake-flaky');
      const source = `s3://${BUCKET}/cloudtrail/`;
      const first = await ingest({ lake, sources: [source], s3: s3Options, filter: { accounts: ['444455556666'] } });
      assert.equal(first.unreadFiles.length, 3);
      assert.match(first.unreadFiles[0]!.reason, /^could not be fetched: .*SlowDown/);
      assert.equal(first.files.rejected, 0);
      failing = false;
      const second = await ingest({ lake, sources: [source], s3: s3Options, filter: { accounts: ['444455556666'] } });
      assert.equal(second.files.ingested, 3, 'the objects not read are read now');
      assert.equal(Number((await query({ lake }, 'select count(*) as n from cloudtrail_logs')).rows[0]!.n), 6);
    } finally {
      proxy.close();
    }
  });

  it('gives up on an endpoint that takes the connection and never answers, instead of waiting for ever', async () => {
    const silent = createNetServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const endpointUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const started = Date.now();
      await assert.rejects(
        ingest({
          lake: join(dir, 'lake-silent'),
          sources: [`s3://${BUCKET}/cloudtrail/`],
          s3: { endpointUrl, maxAttempts: 1, idleTimeoutMs: 300, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } },
        }),
        { name: 'S3SourceError', message: /TimeoutError.*S3 could not be reached/ },
      );
      assert.ok(Date.now() - started < 20_000);
    } finally {
      silent.close();
    }
  });

  it('says what to do when the bucket does not exist', async () => {
    const run = await runCli(['ingest', 's3://no-such-bucket/x/', '--lake', join(dir, 'lake2')], { env: env() });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no-such-bucket/);
  });
});
