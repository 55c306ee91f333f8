import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logFileFolder, logFileName, looksLikeLogFileName, parseLogFileKey } from '../src/cloudtrail/log-file-key.js';

describe('parseLogFileKey(key)', () => {
  it('reads the account, region, day and delivery time of a trail log file', () => {
    const parsed = parseLogFileKey(
      'my-prefix/AWSLogs/111122223333/CloudTrail/us-east-1/2017/05/18/111122223333_CloudTrail_us-east-1_20170518T0105Z_Ab12Cd34Ef56Gh78.json.gz',
    );
    assert.deepEqual(parsed, {
      kind: 'log',
      account: '111122223333',
      region: 'us-east-1',
      date: '2017-05-18',
      deliveredAt: '20170518T0105Z',
    });
  });

  it('reads the account and region of an organization trail', () => {
    const parsed = parseLogFileKey(
      'AWSLogs/o-abc123def4/444455556666/CloudTrail/eu-west-1/2021/01/02/444455556666_CloudTrail_eu-west-1_20210102T2355Z_x.json.gz',
    );
    assert.equal(parsed.kind, 'log');
    assert.equal(parsed.organizationId, 'o-abc123def4');
    assert.equal(parsed.account, '444455556666');
    assert.equal(parsed.region, 'eu-west-1');
    assert.equal(parsed.date, '2021-01-02');
  });

  it('knows digests, Insights and Config files when it sees them', () => {
    assert.equal(
      parseLogFileKey(
        'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/03/09/111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20240309T0100Z.json.gz',
      ).kind,
      'digest',
    );
    assert.equal(
      parseLogFileKey(
        'AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2024/03/09/111122223333_CloudTrail-Insight_us-east-1_20240309T0100Z_x.json.gz',
      ).kind,
      'insight',
    );
    assert.equal(
      parseLogFileKey(
        'AWSLogs/111122223333/Config/us-east-1/2024/3/9/ConfigSnapshot/111122223333_Config_us-east-1_ConfigSnapshot_20240309T010000Z_x.json.gz',
      ).kind,
      'config',
    );
    assert.equal(parseLogFileKey('exports/events.jsonl').kind, 'other');
  });

  it("reads a log file's account, region and day from its name alone, outside the AWSLogs folders", () => {
    const expected = { kind: 'log', account: '111122223333', region: 'eu-west-1', date: '2024-03-09', deliveredAt: '20240309T2355Z' };
    assert.deepEqual(parseLogFileKey('flat/111122223333_CloudTrail_eu-west-1_20240309T2355Z_x.json.gz'), expected);
    assert.deepEqual(parseLogFileKey('111122223333_CloudTrail_eu-west-1_20240309T2355Z_x.json.gz'), expected);
    assert.equal(parseLogFileKey('x/111122223333_CloudTrail-Insight_eu-west-1_20240309T2355Z_x.json.gz').kind, 'insight');
    assert.equal(parseLogFileKey('x/111122223333_CloudTrail-Digest_eu-west-1_trail_eu-west-1_20240309T2355Z.json.gz').kind, 'digest');
    assert.equal(parseLogFileKey('x/111122223333_CloudTrail_eu-west-1.json.gz').kind, 'other');
  });

  it('round-trips the names CloudTrail gives', () => {
    const key =
      logFileFolder('111122223333', 'ap-northeast-1', '2024-12-31', 'o-zzz') +
      logFileName('111122223333', 'ap-northeast-1', new Date('2024-12-31T23:55:00Z'), 'XYZ');
    assert.deepEqual(parseLogFileKey(key), {
      kind: 'log',
      account: '111122223333',
      organizationId: 'o-zzz',
      region: 'ap-northeast-1',
      date: '2024-12-31',
      deliveredAt: '20241231T2355Z',
    });
  });
});

describe('looksLikeLogFileName(key)', () => {
  it('takes JSON, JSON lines and gzip, and passes over everything else', () => {
    for (const ok of ['a.json.gz', 'a.json', 'a.jsonl', 'b.ndjson.gz', 'x.gz']) assert.ok(looksLikeLogFileName(ok), ok);
    for (const no of ['.DS_Store', 'README.md', 'a.csv', 'x.parquet']) assert.ok(!looksLikeLogFileName(no), no);
  });
});
