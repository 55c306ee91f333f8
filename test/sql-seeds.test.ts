import assert from 'node:assert/strict';
import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingest } from '../src/ingest/ingest.js';
import { query, queryStatements, SqlError } from '../src/sql/query.js';
import { record, writeLogFile, type TestRecord } from './support/log-files.js';

/**
 * The seeds' SQL, run as written against lakes whose expected answers are computed here from
 * the raw records, never by the engine under test.
 */

/** Every SQL statement of the seeds, verbatim (checked against ../shared/seeds when it is there). */
const SEED = {
  /** seed 000 */
  ddl000: `CREATE EXTERNAL TABLE cloudtrail_logs (
eventversion STRING,
userIdentity STRUCT<
  type:STRING,
  principalid:STRING,
  arn:STRING,
  accountid:STRING,
  invokedby:STRING,
  accesskeyid:STRING,
  userName:STRING,
  sessioncontext:STRUCT<
    attributes:STRUCT<
      mfaauthenticated:STRING,
      creationdate:STRING>,
    sessionIssuer:STRUCT<
      type:STRING,
      principalId:STRING,
      arn:STRING,
      accountId:STRING,
      userName:STRING>>>,
eventTime STRING,
eventSource STRING,
eventName STRING,
awsRegion STRING,
sourceIpAddress STRING,
userAgent STRING,
errorCode STRING,
errorMessage STRING,
requestParameters STRING,
responseElements STRING,
additionalEventData STRING,
requestId STRING,
eventId STRING,
resources ARRAY<STRUCT<
  ARN:STRING,
  accountId:STRING,
  type:STRING>>,
eventType STRING,
apiVersion STRING,
readOnly BOOLEAN,
recipientAccountId STRING,
serviceEventDetails STRING,
sharedEventID STRING,
vpcEndpointId STRING
)
ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://cloudtrail-us-east-1-123456789012/AWSLogs/123456789012/CloudTrail/us-east-1/2017/05/';`,
  /** seed 000 */
  activityCount: `select count(*) as activity_count 
from cloudtrail_logs
where eventtime >= '2017-05-18T00:00:00Z' and eventtime < '2017-05-19T00:00:00Z';`,
  /** seed 000 */
  activityList: `select eventname, useridentity.username, sourceIPAddress, eventtime 
from cloudtrail_logs
where eventtime >= '2017-05-18T00:00:00Z' and eventtime < '2017-05-19T00:00:00Z'
order by eventtime asc;`,
  /** seed 000 */
  consoleLogins: `select useridentity.username, sourceIpAddress, eventtime, additionaleventdata
from cloudtrail_logs
where eventname = 'ConsoleLogin'
and eventtime >= '2017-05-17T00:00:00Z'
and eventtime < '2017-05-18T00:00:00Z';`,
  /** seed 000 */
  securityGroupAudit: `select eventname, useridentity.username, sourceIPAddress, eventtime, requestparameters 
from cloudtrail_logs
where requestparameters like '%sg-%'
and eventtime >= '2017-05-18T00:00:00Z' 
and eventtime < '2017-05-19T00:00:00Z'
and eventname <> 'StartQueryExecution'
order by eventtime asc;`,
  /** seed 000 */
  topErrors: `select count (*) as TotalEvents, eventname, errorcode, errormessage 
from cloudtrail_logs
where errorcode is not null
and eventtime >= '2017-05-01T00:00:00Z' 
group by eventname, errorcode, errormessage
order by TotalEvents desc
limit 10;`,
  /** seed 001 */
  preview001: `SELECT * FROM "default"."Athenaのテーブル名" limit 10;`,
  /** seed 003 */
  ddl003: `CREATE EXTERNAL TABLE \`cloudtrail_logs\`(
  \`eventversion\` string COMMENT 'from deserializer',
  \`useridentity\` struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>>> COMMENT 'from deserializer',
  \`eventtime\` string COMMENT 'from deserializer',
  \`eventsource\` string COMMENT 'from deserializer',
  \`eventname\` string COMMENT 'from deserializer',
  \`awsregion\` string COMMENT 'from deserializer',
  \`sourceipaddress\` string COMMENT 'from deserializer',
  \`useragent\` string COMMENT 'from deserializer',
  \`errorcode\` string COMMENT 'from deserializer',
  \`errormessage\` string COMMENT 'from deserializer',
  \`requestparameters\` string COMMENT 'from deserializer',
  \`responseelements\` string COMMENT 'from deserializer',
  \`additionaleventdata\` string COMMENT 'from deserializer',
  \`requestid\` string COMMENT 'from deserializer',
  \`eventid\` string COMMENT 'from deserializer',
  \`resources\` array<struct<arn:string,accountid:string,type:string>> COMMENT 'from deserializer',
  \`eventtype\` string COMMENT 'from deserializer',
  \`apiversion\` string COMMENT 'from deserializer',
  \`readonly\` string COMMENT 'from deserializer',
  \`recipientaccountid\` string COMMENT 'from deserializer',
  \`serviceeventdetails\` string COMMENT 'from deserializer',
  \`sharedeventid\` string COMMENT 'from deserializer',
  \`vpcendpointid\` string COMMENT 'from deserializer')
ROW FORMAT SERDE
  'com.amazon.emr.hive.serde.CloudTrailSerde'
STORED AS INPUTFORMAT
  'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT
  'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION
  's3://mybucket/AWSLogs/012345678901/CloudTrail/'
TBLPROPERTIES (
  'classification'='cloudtrail',
  'transient_lastDdlTime'='1572536550')`,
  /** seed 003 */
  ddl003Partitioned: `CREATE EXTERNAL TABLE \`cloudtrail_logs\`(
  \`eventversion\` string COMMENT 'from deserializer', 
  \`useridentity\` struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>>> COMMENT 'from deserializer', 
  \`eventtime\` string COMMENT 'from deserializer', 
  \`eventsource\` string COMMENT 'from deserializer', 
  \`eventname\` string COMMENT 'from deserializer', 
  \`awsregion\` string COMMENT 'from deserializer', 
  \`sourceipaddress\` string COMMENT 'from deserializer', 
  \`useragent\` string COMMENT 'from deserializer', 
  \`errorcode\` string COMMENT 'from deserializer', 
  \`errormessage\` string COMMENT 'from deserializer', 
  \`requestparameters\` string COMMENT 'from deserializer', 
  \`responseelements\` string COMMENT 'from deserializer', 
  \`additionaleventdata\` string COMMENT 'from deserializer', 
  \`requestid\` string COMMENT 'from deserializer', 
  \`eventid\` string COMMENT 'from deserializer', 
  \`resources\` array<struct<arn:string,accountid:string,type:string>> COMMENT 'from deserializer', 
  \`eventtype\` string COMMENT 'from deserializer', 
  \`apiversion\` string COMMENT 'from deserializer', 
  \`readonly\` string COMMENT 'from deserializer', 
  \`recipientaccountid\` string COMMENT 'from deserializer', 
  \`serviceeventdetails\` string COMMENT 'from deserializer', 
  \`sharedeventid\` string COMMENT 'from deserializer', 
  \`vpcendpointid\` string COMMENT 'from deserializer')
PARTITIONED BY ( 
  region string,
  \`year\` string, 
  \`month\` string, 
  \`day\` string)
ROW FORMAT SERDE 
  'com.amazon.emr.hive.serde.CloudTrailSerde' 
STORED AS INPUTFORMAT 
  'com.amazon.emr.cloudtrail.CloudTrailInputFormat' 
OUTPUTFORMAT 
  'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION
  's3://mybucket/AWSLogs/012345678901/CloudTrail/'
TBLPROPERTIES (
  'classification'='cloudtrail', 
  'transient_lastDdlTime'='1637748939')`,
  /** seed 003 */
  elbUnpartitioned: `SELECT * FROM "default"."cloudtrail_logs" 
WHERE eventsource = 'elasticloadbalancing.amazonaws.com'
AND eventtime > '2016-01-01T00:00:00Z'
AND eventtime < '2016-06-01T00:00:00Z'`,
  /** seed 003 */
  elbPartitioned: `SELECT * FROM "data_lake"."cloudtrail_logs" 
WHERE eventsource = 'elasticloadbalancing.amazonaws.com'
AND year = '2016' AND month < '06'`,
  /** seed 003 */
  addPartition: `ALTER TABLE cloudtrail_logs
ADD PARTITION (year='2021', month='01', day='02', region='eu-west-1')
location  's3://mybucket/AWSLogs/012345678901/CloudTrail/eu-west-1/2021/01/02/';`,
  /** seed 003 */
  route53: `SELECT useridentity,
       useragent,
       useridentity.username,
       useridentity.accountid,
       useridentity.sessioncontext.attributes.creationdate,
       json_extract(requestparameters,'$.changeBatch.changes[0].resourceRecordSet.name') AS domainName,
       json_extract(requestparameters,'$.changeBatch.changes[0].resourceRecordSet.type') AS recordType,
       json_extract(requestparameters,'$.changeBatch.changes[0].resourceRecordSet.resourceRecords') AS resourceRecords
FROM cloudtrail_logs_cloudtrail
WHERE (eventsource = 'route53.amazonaws.com'
      AND eventname = 'ChangeResourceRecordSets'
      AND json_extract_scalar(requestparameters,'$.changeBatch.changes[0].action') = 'CREATE'
      AND json_extract_scalar(requestparameters,'$.changeBatch.changes[0].resourceRecordSet.name') = 'www.mydomain.com.'
      AND year = '2020' AND region  = 'us-east-1' AND month = '06'
      )`,
};

/** A delivery of records for one account, region and day. */
interface Delivery {
  readonly account: string;
  readonly region: string;
  readonly records: TestRecord[];
}

async function buildLake(deliveries: readonly Delivery[]): Promise<{ dir: string; lake: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'trailscope-seeds-'));
  const logs = join(dir, 'logs');
  let minute = 0;
  for (const d of deliveries) {
    const byDay = new Map<string, TestRecord[]>();
    for (const r of d.records) byDay.set(String(r.eventTime).slice(0, 10), [...(byDay.get(String(r.eventTime).slice(0, 10)) ?? []), r]);
    for (const [date, records] of byDay)
      await writeLogFile(logs, { account: d.account, region: d.region, date, records, minute: ++minute });
  }
  const lake = join(dir, 'lake');
  const summary = await ingest({ lake, sources: [logs] });
  assert.equal(summary.files.rejected, 0);
  return { dir, lake };
}

/** A record of `account`/`region` at `eventTime`, as CloudTrail writes it. */
function event(account: string, region: string, eventTime: string, fields: TestRecord = {}): TestRecord {
  return record({ eventTime, awsRegion: region, recipientAccountId: account, ...fields });
}

const user = (userName: string) => ({
  type: 'IAMUser',
  principalId: `AIDA${userName.toUpperCase()}`,
  arn: `arn:aws:iam::123456789012:user/${userName}`,
  accountId: '123456789012',
  accessKeyId: 'AKIAEXAMPLE',
  userName,
});

const byId = (rows: Array<Record<string, unknown>>) => rows.map((r) => String(r.eventid)).sort();

describe('seed 000: the CloudTrailSerde table and its audit queries', () => {
  const ACCOUNT = '123456789012';
  const inTable: TestRecord[] = [];
  const others: TestRecord[] = [];
  let dir = '';
  let lake = '';

  before(async () => {
    const at = (time: string, fields: TestRecord) => {
      const r = event(ACCOUNT, 'us-east-1', time, fields);
      inTable.push(r);
      return r;
    };
    at('2017-05-01T09:00:00Z', { eventName: 'DescribeInstances', userIdentity: user('alice') });
    at('2017-05-17T08:15:00Z', {
      eventName: 'ConsoleLogin',
      eventSource: 'signin.amazonaws.com',
      userIdentity: user('bob'),
      sourceIPAddress: '203.0.113.10',
      additionalEventData: { LoginTo: 'https://console.aws.amazon.com/', MobileVersion: 'No', MFAUsed: 'No' },
      responseElements: { ConsoleLogin: 'Success' },
    });
    at('2017-05-17T23:59:59Z', {
      eventName: 'ConsoleLogin',
      eventSource: 'signin.amazonaws.com',
      userIdentity: user('carol'),
      sourceIPAddress: '198.51.100.20',
      additionalEventData: { MFAUsed: 'Yes' },
      errorMessage: 'Failed authentication',
      responseElements: { ConsoleLogin: 'Failure' },
    });
    at('2017-05-18T00:00:00Z', {
      eventName: 'AuthorizeSecurityGroupIngress',
      userIdentity: user('alice'),
      requestParameters: { groupId: 'sg-0123abcd', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22 }] } },
    });
    at('2017-05-18T03:00:00Z', {
      eventName: 'StartQueryExecution',
      eventSource: 'athena.amazonaws.com',
      userIdentity: user('alice'),
      requestParameters: { queryString: "select * from cloudtrail_logs where requestparameters like '%sg-%'" },
    });
    at('2017-05-18T04:00:00Z', {
      eventName: 'RevokeSecurityGroupEgress',
      userIdentity: user('bob'),
      requestParameters: { groupId: 'sg-9999ffff' },
    });
    at('2017-05-18T12:00:00Z', {
      eventName: 'ConsoleLogin',
      eventSource: 'signin.amazonaws.com',
      userIdentity: user('alice'),
      additionalEventData: { MFAUsed: 'Yes' },
    });
    at('2017-05-18T23:59:59Z', { eventName: 'DescribeSecurityGroups', userIdentity: user('alice'), requestParameters: { groupSet: {} } });
    at('2017-05-19T00:00:00Z', { eventName: 'DescribeInstances', userIdentity: user('alice') });
    // Errors with distinct counts (13 down to 2), so the top ten is the same in any engine.
    for (let k = 0; k < 12; k++) {
      for (let n = 0; n < 13 - k; n++) {
        const day = String(1 + ((k + n) % 28)).padStart(2, '0');
        at(`2017-05-${day}T${String(10 + (n % 10)).padStart(2, '0')}:${String(k).padStart(2, '0')}:${String(n).padStart(2, '0')}Z`, {
          eventName: `Api${k % 4}`,
          userIdentity: user('dave'),
          errorCode: k % 2 ? 'AccessDenied' : 'Client.UnauthorizedOperation',
          errorMessage: `not authorized (${k})`,
        });
      }
    }
    // Outside the table: another region, April, another account.
    others.push(event(ACCOUNT, 'eu-west-1', '2017-05-18T10:00:00Z', { eventName: 'ConsoleLogin', errorCode: 'X', errorMessage: 'x' }));
    others.push(event(ACCOUNT, 'us-east-1', '2017-04-30T10:00:00Z', { eventName: 'ConsoleLogin', errorCode: 'X', errorMessage: 'x' }));
    others.push(
      event('999988887777', 'us-east-1', '2017-05-18T10:00:00Z', { eventName: 'ConsoleLogin', errorCode: 'X', errorMessage: 'x' }),
    );
    ({ dir, lake } = await buildLake([
      { account: ACCOUNT, region: 'us-east-1', records: [...inTable, others[1]!] },
      { account: ACCOUNT, region: 'eu-west-1', records: [others[0]!] },
      { account: '999988887777', region: 'us-east-1', records: [others[2]!] },
    ]));
    const [ddl] = await queryStatements({ lake }, SEED.ddl000);
    assert.equal(ddl!.kind, 'ddl');
    assert.match(ddl!.message!, /registered cloudtrail_logs: account 123456789012, us-east-1, 2017-05 of the lake/);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const time = (r: TestRecord) => String(r.eventTime);
  const ident = (r: TestRecord) => r.userIdentity as { userName?: string };
  const onThe18th = (r: TestRecord) => time(r) >= '2017-05-18T00:00:00Z' && time(r) < '2017-05-19T00:00:00Z';

  it('counts one day of activity (the DDL limits the table to its LOCATION: account, region and month)', async () => {
    const { rows, columns } = await query({ lake }, SEED.activityCount);
    assert.deepEqual(columns, ['activity_count']);
    assert.deepEqual(rows, [{ activity_count: inTable.filter(onThe18th).length }]);
  });

  it('lists one day of activity in time order', async () => {
    const { rows, columns } = await query({ lake }, SEED.activityList);
    assert.deepEqual(columns, ['eventname', 'username', 'sourceipaddress', 'eventtime']);
    const expected = inTable
      .filter(onThe18th)
      .sort((a, b) => time(a).localeCompare(time(b)))
      .map((r) => ({
        eventname: r.eventName,
        username: ident(r).userName ?? null,
        sourceipaddress: r.sourceIPAddress,
        eventtime: r.eventTime,
      }));
    assert.deepEqual(rows, expected);
  });

  it('lists console logins with their additionaleventdata JSON text', async () => {
    const { rows } = await query({ lake }, SEED.consoleLogins);
    const expected = inTable
      .filter((r) => r.eventName === 'ConsoleLogin' && time(r) >= '2017-05-17T00:00:00Z' && time(r) < '2017-05-18T00:00:00Z')
      .map((r) => ({
        username: ident(r).userName,
        sourceipaddress: r.sourceIPAddress,
        eventtime: r.eventTime,
        additionaleventdata: JSON.stringify(r.additionalEventData),
      }));
    const sort = (xs: Array<Record<string, unknown>>) => [...xs].sort((a, b) => String(a.eventtime).localeCompare(String(b.eventtime)));
    assert.equal(expected.length, 2);
    assert.deepEqual(sort(rows), sort(expected));
  });

  it("audits security-group changes with requestparameters like '%sg-%', leaving out Athena's own queries", async () => {
    const { rows } = await query({ lake }, SEED.securityGroupAudit);
    const expected = inTable
      .filter((r) => onThe18th(r) && JSON.stringify(r.requestParameters ?? null).includes('sg-') && r.eventName !== 'StartQueryExecution')
      .sort((a, b) => time(a).localeCompare(time(b)))
      .map((r) => ({
        eventname: r.eventName,
        username: ident(r).userName,
        sourceipaddress: r.sourceIPAddress,
        eventtime: r.eventTime,
        requestparameters: JSON.stringify(r.requestParameters),
      }));
    assert.deepEqual(
      expected.map((r) => r.eventname),
      ['AuthorizeSecurityGroupIngress', 'RevokeSecurityGroupEgress'],
    );
    assert.deepEqual(rows, expected);
  });

  it('ranks the ten most frequent errors of the month', async () => {
    const { rows, columns } = await query({ lake }, SEED.topErrors);
    assert.deepEqual(columns, ['TotalEvents', 'eventname', 'errorcode', 'errormessage']);
    const counts = new Map<string, { TotalEvents: number; eventname: unknown; errorcode: unknown; errormessage: unknown }>();
    for (const r of inTable.filter((r) => r.errorCode !== undefined && time(r) >= '2017-05-01T00:00:00Z')) {
      const key = JSON.stringify([r.eventName, r.errorCode, r.errorMessage]);
      const c = counts.get(key) ?? { TotalEvents: 0, eventname: r.eventName, errorcode: r.errorCode, errormessage: r.errorMessage };
      c.TotalEvents++;
      counts.set(key, c);
    }
    const expected = [...counts.values()].sort((a, b) => b.TotalEvents - a.TotalEvents).slice(0, 10);
    assert.deepEqual(rows, expected);
  });
});

describe('seed 001: a preview of the table', () => {
  let dir = '';
  let lake = '';
  const records = Array.from({ length: 12 }, (_, i) =>
    event('111122223333', 'us-east-1', `2022-02-12T10:${String(i).padStart(2, '0')}:00Z`),
  );
  before(async () => {
    ({ dir, lake } = await buildLake([{ account: '111122223333', region: 'us-east-1', records }]));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('answers the placeholder table name with "table not found" and the names that exist', async () => {
    await assert.rejects(query({ lake }, SEED.preview001), (e: unknown) => {
      assert.ok(e instanceof SqlError);
      assert.equal(e.kind, 'not-found');
      assert.match(e.message, /^line 1:15: table default\.Athenaのテーブル名 does not exist\. Tables: cloudtrail_logs, cloudtrail_flat/);
      return true;
    });
  });

  it('previews ten rows of the real table with Athena\'s columns, without "$path" and raw', async () => {
    const { rows, columns } = await query({ lake }, SEED.preview001.replace('Athenaのテーブル名', 'cloudtrail_logs'));
    assert.equal(rows.length, 10);
    assert.equal(columns[0], 'eventversion');
    assert.deepEqual(columns.slice(-5), ['region', 'year', 'month', 'day', 'account']);
    assert.ok(!columns.includes('raw') && !columns.includes('$path'));
    const sorted = await query({ lake }, `SELECT eventtime, "$path" FROM "default"."cloudtrail_logs" ORDER BY eventtime DESC LIMIT 1`);
    assert.equal(sorted.rows[0]!.eventtime, '2022-02-12T10:11:00Z');
    assert.match(String(sorted.rows[0]!['$path']), /^file:\/\/.*111122223333_CloudTrail_us-east-1_.*\.json\.gz$/);
  });
});

describe('seed 003: partitions, ADD PARTITION, and JSON in requestparameters', () => {
  const ACCOUNT = '012345678901';
  const elb: TestRecord[] = [];
  const route53: TestRecord[] = [];
  /** Every record of the account, for the partitions a query must read. */
  const accountRecords: TestRecord[] = [];
  const partitionsOf = (records: TestRecord[]) =>
    new Set(records.map((r) => `${String(r.awsRegion)}/${String(r.eventTime).slice(0, 10)}`)).size;
  let dir = '';
  let lake = '';
  const SOURCE = 'elasticloadbalancing.amazonaws.com';

  const change = (action: string, name: string) => ({
    hostedZoneId: 'Z1EXAMPLE',
    changeBatch: {
      changes: [{ action, resourceRecordSet: { name, type: 'A', tTL: 300, resourceRecords: [{ value: '192.0.2.1' }] } }],
    },
  });

  before(async () => {
    const elbAt = (region: string, time: string, account = ACCOUNT) => {
      const r = event(account, region, time, { eventSource: SOURCE, eventName: 'DescribeLoadBalancers' });
      elb.push(r);
      if (account === ACCOUNT) accountRecords.push(r);
      return r;
    };
    for (const t of [
      '2015-12-31T23:59:59Z',
      '2016-01-15T10:00:00Z',
      '2016-03-01T00:00:00Z',
      '2016-05-31T23:00:00Z',
      '2016-06-01T00:00:00Z',
      '2016-07-01T10:00:00Z',
    ])
      elbAt('us-east-1', t);
    elbAt('eu-west-1', '2016-02-02T10:00:00Z');
    const otherAccount = elbAt('us-east-1', '2016-02-02T10:00:00Z', '210987654321');
    const noise = [event(ACCOUNT, 'us-east-1', '2016-02-03T10:00:00Z', { eventSource: 'ec2.amazonaws.com' })];
    accountRecords.push(...noise);
    const r53 = (region: string, time: string, action: string, name: string) => {
      const r = event(ACCOUNT, region, time, {
        eventSource: 'route53.amazonaws.com',
        eventName: 'ChangeResourceRecordSets',
        userAgent: 'console.amazonaws.com',
        userIdentity: {
          ...user('erin'),
          accountId: ACCOUNT,
          sessionContext: { attributes: { mfaAuthenticated: 'false', creationDate: '2020-06-10T09:00:00Z' } },
        },
        requestParameters: change(action, name),
      });
      route53.push(r);
      accountRecords.push(r);
    };
    r53('us-east-1', '2020-06-10T09:30:00Z', 'CREATE', 'www.mydomain.com.');
    r53('us-east-1', '2020-06-11T09:30:00Z', 'DELETE', 'www.mydomain.com.');
    r53('us-east-1', '2020-06-12T09:30:00Z', 'CREATE', 'api.mydomain.com.');
    r53('us-east-1', '2020-07-01T09:30:00Z', 'CREATE', 'www.mydomain.com.');
    r53('eu-west-1', '2020-06-10T09:30:00Z', 'CREATE', 'www.mydomain.com.');
    ({ dir, lake } = await buildLake([
      {
        account: ACCOUNT,
        region: 'us-east-1',
        records: [
          ...elb.filter((r) => r.awsRegion === 'us-east-1' && r !== otherAccount),
          ...noise,
          ...route53.filter((r) => r.awsRegion === 'us-east-1'),
        ],
      },
      {
        account: ACCOUNT,
        region: 'eu-west-1',
        records: [...elb.filter((r) => r.awsRegion === 'eu-west-1'), ...route53.filter((r) => r.awsRegion === 'eu-west-1')],
      },
      { account: '210987654321', region: 'us-east-1', records: [otherAccount] },
    ]));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const ofAccount = (r: TestRecord) => r.recipientAccountId === ACCOUNT;

  it('registers both DDLs as written, each limited to the account of its LOCATION', async () => {
    const results = await queryStatements({ lake }, `${SEED.ddl003};\n${SEED.ddl003Partitioned}`);
    assert.deepEqual(
      results.map((r) => r.kind),
      ['ddl', 'ddl'],
    );
    assert.match(results[0]!.message!, /^registered cloudtrail_logs: account 012345678901 of the lake \(\d+ partitions, \d+ events\)/);
    assert.match(results[1]!.message!, /^replaced cloudtrail_logs: account 012345678901/);
  });

  it('finds load-balancer events by eventtime alone, reading only the partitions of that range', async () => {
    const result = await query({ lake }, SEED.elbUnpartitioned);
    const expected = elb.filter(
      (r) => ofAccount(r) && String(r.eventTime) > '2016-01-01T00:00:00Z' && String(r.eventTime) < '2016-06-01T00:00:00Z',
    );
    assert.deepEqual(byId(result.rows), expected.map((r) => String(r.eventID)).sort());
    assert.ok(!result.columns.includes('raw'));
    const everything = await query({ lake }, `SELECT * FROM "default"."cloudtrail_logs" WHERE eventsource = '${SOURCE}'`);
    const inRange = accountRecords.filter(
      (r) => String(r.eventTime) > '2016-01-01T00:00:00Z' && String(r.eventTime) < '2016-06-01T00:00:00Z',
    );
    assert.equal(result.stats.partitions.read, partitionsOf(inRange), 'the days of the range that hold any event of the account');
    assert.ok(result.stats.bytes.read < everything.stats.bytes.read, 'fewer bytes than the same query without the eventtime range');
    assert.ok(everything.stats.files.read < everything.stats.files.total, 'the other account is never read');
  });

  it('finds the same events through partition columns of a partitioned table (year, month)', async () => {
    const ddl = SEED.ddl003Partitioned.replace(
      'CREATE EXTERNAL TABLE `cloudtrail_logs`',
      'CREATE EXTERNAL TABLE `data_lake`.`cloudtrail_logs`',
    );
    await query({ lake }, ddl);
    const result = await query({ lake }, SEED.elbPartitioned);
    const expected = elb.filter((r) => ofAccount(r) && String(r.eventTime).startsWith('2016-') && String(r.eventTime).slice(5, 7) < '06');
    assert.deepEqual(byId(result.rows), expected.map((r) => String(r.eventID)).sort());
    const inPartitions = accountRecords.filter((r) => String(r.eventTime).startsWith('2016-') && String(r.eventTime).slice(5, 7) < '06');
    assert.equal(result.stats.partitions.read, partitionsOf(inPartitions));
    assert.deepEqual(result.stats.scans[0]!.prunedBy, ['year', 'month']);
  });

  it('accepts ALTER TABLE ADD PARTITION and says partitions are found automatically', async () => {
    const [result] = await queryStatements({ lake }, SEED.addPartition);
    assert.equal(result!.kind, 'ddl');
    assert.match(
      result!.message!,
      /^partitions are found automatically: cloudtrail_logs already reads year=2021\/month=01\/day=02\/region=eu-west-1 \(no events yet\)/,
    );
  });

  it('finds who created a DNS record with json_extract and json_extract_scalar on requestparameters', async () => {
    const ddl = SEED.ddl003Partitioned.replace(
      'CREATE EXTERNAL TABLE `cloudtrail_logs`',
      'CREATE EXTERNAL TABLE `cloudtrail_logs_cloudtrail`',
    );
    await query({ lake }, ddl);
    const { rows, columns } = await query({ lake }, SEED.route53);
    assert.deepEqual(columns, [
      'useridentity',
      'useragent',
      'username',
      'accountid',
      'creationdate',
      'domainName',
      'recordType',
      'resourceRecords',
    ]);
    const expected = route53.filter((r) => {
      const c = (r.requestParameters as ReturnType<typeof change>).changeBatch.changes[0]!;
      return (
        c.action === 'CREATE' &&
        c.resourceRecordSet.name === 'www.mydomain.com.' &&
        r.awsRegion === 'us-east-1' &&
        String(r.eventTime).startsWith('2020-06')
      );
    });
    assert.equal(expected.length, 1);
    const r = expected[0]!;
    const set = (r.requestParameters as ReturnType<typeof change>).changeBatch.changes[0]!.resourceRecordSet;
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.equal((row.useridentity as Record<string, unknown>).username, 'erin');
    assert.deepEqual(
      { ...row, useridentity: undefined },
      {
        useridentity: undefined,
        useragent: r.userAgent,
        username: 'erin',
        accountid: ACCOUNT,
        creationdate: '2020-06-10T09:00:00Z',
        domainName: JSON.stringify(set.name),
        recordType: JSON.stringify(set.type),
        resourceRecords: JSON.stringify(set.resourceRecords),
      },
    );
  });
});

describe('the seed SQL in this file', () => {
  it('is verbatim from the seeds (when ../shared/seeds is there)', async (t) => {
    const folder = join(import.meta.dirname, '..', '..', 'shared', 'seeds');
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      t.skip('no ../shared/seeds here');
      return;
    }
    const texts = await Promise.all(names.map((n) => readFile(join(folder, n), 'utf8')));
    for (const [key, sql] of Object.entries(SEED))
      assert.ok(
        texts.some((text) => text.includes(sql)),
        `${key} is not in the seeds as written`,
      );
  });
});
