import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingest } from '../src/ingest/ingest.js';
import { openQuerySession, query, queryStatements, SqlError } from '../src/sql/query.js';
import { record, writeLogFile } from './support/log-files.js';

/**
 * Table names over the lake: what `CREATE EXTERNAL TABLE` registers (and keeps across
 * sessions), and Athena's catalog statements answered from the lake.
 */

let dir = '';
let lake = '';
const DDL = (name: string, location: string, extra = '') => `CREATE EXTERNAL TABLE ${name} (eventversion STRING, eventtime STRING)
${extra}
ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '${location}'`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trailscope-catalog-'));
  const logs = join(dir, 'logs');
  let minute = 0;
  for (const [account, region, date] of [
    ['111122223333', 'us-east-1', '2024-03-08'],
    ['111122223333', 'us-east-1', '2024-03-09'],
    ['111122223333', 'eu-west-1', '2024-03-09'],
    ['444455556666', 'us-east-1', '2024-03-09'],
  ] as const) {
    const records = [record({ eventTime: `${date}T10:00:00Z`, awsRegion: region, recipientAccountId: account })];
    await writeLogFile(logs, { account, region, date, records, minute: ++minute });
  }
  lake = join(dir, 'lake');
  await ingest({ lake, sources: [logs] });
});
after(() => rm(dir, { recursive: true, force: true }));

const count = async (table: string) => Number((await query({ lake }, `select count(*) as n from ${table}`)).rows[0]!.n);
const message = async (sql: string) => (await queryStatements({ lake }, sql)).at(-1)!.message;

async function fails(sql: string, kind: SqlError['kind'], pattern: RegExp) {
  await assert.rejects(query({ lake }, sql), (e: unknown) => {
    assert.ok(e instanceof SqlError, String(e));
    assert.equal(e.kind, kind, e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('the names of the lake table', () => {
  it('are cloudtrail_logs, default.cloudtrail_logs and "default"."cloudtrail_logs", in any case', async () => {
    for (const name of [
      'cloudtrail_logs',
      'default.cloudtrail_logs',
      '"default"."cloudtrail_logs"',
      'CloudTrail_Logs',
      'awsdatacatalog.default.cloudtrail_logs',
    ]) {
      assert.equal(await count(name), 4, name);
    }
  });
});

describe('CREATE EXTERNAL TABLE', () => {
  it('registers a name for the account, region and days its LOCATION names, kept in the lake for later sessions', async () => {
    const said = await message(DDL('account_one', 's3://my-trail/AWSLogs/111122223333/CloudTrail/us-east-1/'));
    assert.equal(
      said,
      'registered account_one: account 111122223333, us-east-1 of the lake (2 partitions, 2 events). Partitions are found automatically: no ALTER TABLE ADD PARTITION or MSCK REPAIR TABLE needed.',
    );
    assert.equal(await count('account_one'), 2);
    assert.equal(await count('"default"."account_one"'), 2);
    const saved = JSON.parse(await readFile(join(lake, '_trailscope', 'tables.json'), 'utf8'));
    assert.deepEqual(saved.tables[0].scope, { account: '111122223333', region: 'us-east-1' });
    await message(DDL('one_day', 's3://my-trail/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/09/'));
    assert.equal(await count('one_day'), 1);
  });

  it('reads an organization trail location and a schema-qualified name', async () => {
    await message(DDL('audit.org_trail', 's3://org-bucket/AWSLogs/o-abc123def4/444455556666/CloudTrail/'));
    assert.equal(await count('audit.org_trail'), 1);
    assert.equal(await count('"audit"."org_trail"'), 1);
    await fails('select * from org_trail', 'not-found', /table org_trail does not exist/);
  });

  it('says how to ingest a location the lake does not have yet', async () => {
    const said = await message(DDL('elsewhere', 's3://other/AWSLogs/999999999999/CloudTrail/ap-northeast-1/2017/05/'));
    assert.equal(
      said,
      `registered elsewhere: account 999999999999, ap-northeast-1, 2017-05 of the lake. The lake has no events of account 999999999999, ap-northeast-1, 2017-05 yet; to add it: trailscope ingest s3://other/AWSLogs/999999999999/CloudTrail/ap-northeast-1/2017/05/ --lake ${lake}`,
    );
    assert.equal(await count('elsewhere'), 0);
  });

  it('keeps an existing table with IF NOT EXISTS, and replaces it without', async () => {
    const kept = await message(DDL('if not exists account_one', 's3://b/AWSLogs/444455556666/CloudTrail/'));
    assert.equal(kept, 'account_one already exists; nothing changed');
    assert.equal(await count('account_one'), 2);
    const replaced = await message(
      DDL('account_two', 's3://b/AWSLogs/444455556666/CloudTrail/') + '; ' + DDL('account_two', 's3://b/AWSLogs/111122223333/CloudTrail/'),
    );
    assert.match(replaced!, /^replaced account_two: account 111122223333 of the lake \(3 partitions, 3 events\)/);
  });

  it('takes a CloudTrailSerde table over a location outside AWSLogs/ as the whole lake', async () => {
    await message(DDL('everything', 's3://my-trail/'));
    assert.equal(await count('everything'), 4);
  });

  it('refuses a table that is not CloudTrail, and one without a LOCATION', async () => {
    await fails(
      `CREATE EXTERNAL TABLE web_logs (line STRING) ROW FORMAT DELIMITED FIELDS TERMINATED BY ' ' LOCATION 's3://web/logs/'`,
      'unsupported',
      /only CloudTrail tables can be registered: s3:\/\/web\/logs\/ is not a CloudTrail prefix/,
    );
    await fails(
      `CREATE EXTERNAL TABLE t (a STRING) ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde'`,
      'syntax',
      /^line 1:23: CREATE EXTERNAL TABLE needs a LOCATION/,
    );
    await fails(
      `CREATE EXTERNAL TABLE t (a STRING) LOCATION`,
      'syntax',
      /^line 1:44: expected a quoted string at the end of the statement/,
    );
  });
});

describe('sessions and the catalog', () => {
  it('see the tables another process registers or drops after they opened', async () => {
    const session = await openQuerySession({ lake });
    try {
      await assert.rejects(session.run('select count(*) from seen_later'), { kind: 'not-found' });
      await message(DDL('seen_later', 's3://my-trail/AWSLogs/444455556666/CloudTrail/'));
      assert.equal((await session.run('select count(*) as n from seen_later'))[0]!.rows[0]!.n, 1);
      await message('DROP TABLE seen_later');
      await assert.rejects(session.run('select count(*) from seen_later'), { kind: 'not-found' });
    } finally {
      session.close();
    }
  });
});

describe('CREATE DATABASE', () => {
  it("is accepted, as the AWS guide's first step, and says tables make it", async () => {
    assert.equal(
      await message(`CREATE DATABASE IF NOT EXISTS data_lake COMMENT 'CloudTrail' LOCATION 's3://b/db/'`),
      'database data_lake needs no creating here: CREATE EXTERNAL TABLE data_lake.<table> ... registers a table in it',
    );
  });
});

describe("the AWS guide's table with partition projection", () => {
  it('makes its projected date partition from each day, reads only the days of its range, and says what it leaves out', async () => {
    const said = await message(`CREATE EXTERNAL TABLE trail_pp(
        eventVersion STRING, eventTime STRING, eventName STRING, notAColumn STRING)
      PARTITIONED BY (\`timestamp\` string)
      ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
      STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
      OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
      LOCATION 's3://amzn-s3-demo-bucket/AWSLogs/o-ikrai4wfgt/111122223333/CloudTrail/us-east-1'
      TBLPROPERTIES (
        'projection.enabled'='true',
        'projection.timestamp.format'='yyyy/MM/dd',
        'projection.timestamp.interval'='1',
        'projection.timestamp.interval.unit'='DAYS',
        'projection.timestamp.range'='2024/03/09,NOW',
        'projection.timestamp.type'='date',
        'storage.location.template'='s3://amzn-s3-demo-bucket/AWSLogs/o-ikrai4wfgt/111122223333/CloudTrail/us-east-1/\${timestamp}')`);
    assert.match(
      String(said),
      /^registered trail_pp: account 111122223333, us-east-1, days 2024-03-09 to now of the lake \(1 partition, 1 event\)/,
    );
    assert.match(
      String(said),
      /Its partition timestamp is the day of each event's partition\. Not in CloudTrail's table, so not available: notAColumn/,
    );
    const rows = (await query({ lake }, `select "timestamp", eventtime from trail_pp where "timestamp" >= '2024/03/01'`)).rows;
    assert.deepEqual(rows, [{ timestamp: '2024/03/09', eventtime: '2024-03-09T10:00:00Z' }], 'the 03-08 event is before the range');
  });
});

describe('partition maintenance', () => {
  it('answers ALTER TABLE ADD PARTITION and MSCK REPAIR TABLE without changing anything', async () => {
    const added = await message(
      `ALTER TABLE cloudtrail_logs ADD IF NOT EXISTS PARTITION (region='us-east-1', year='2024', month='03', day='09') LOCATION 's3://b/x/' PARTITION (region='eu-west-1', year='2030', month='01', day='01')`,
    );
    assert.equal(
      added,
      'partitions are found automatically: cloudtrail_logs already reads region=us-east-1/year=2024/month=03/day=09 (2 events), region=eu-west-1/year=2030/month=01/day=01 (no events yet); nothing to add',
    );
    assert.equal(
      await message('MSCK REPAIR TABLE cloudtrail_logs'),
      'nothing to repair: partitions are found automatically (cloudtrail_logs reads 4 partitions today)',
    );
    await fails(`MSCK REPAIR TABLE nope`, 'not-found', /^line 1:19: table nope does not exist/);
    await fails(`ALTER TABLE nope ADD PARTITION (year='2024')`, 'not-found', /table nope does not exist/);
  });

  it('refuses a partition outside what the table reads, rather than saying it already reads it', async () => {
    await message(DDL('us_east', 's3://my-trail/AWSLogs/111122223333/CloudTrail/us-east-1/'));
    await fails(
      `ALTER TABLE us_east ADD PARTITION (region='eu-west-1', year='2024', month='03', day='09')`,
      'unsupported',
      /^line 1:13: us_east reads account 111122223333, us-east-1 \(its LOCATION\), so region=eu-west-1\/year=2024\/month=03\/day=09 cannot be added to it/,
    );
    assert.match(
      String(await message(`ALTER TABLE us_east ADD PARTITION (region='us-east-1', year='2024', month='03', day='09')`)),
      /already reads/,
    );
    assert.match(String(await message(DDL('whole_lake', 's3://my-trail/AWSLogs/'))), /^registered whole_lake: the whole lake \(/);
  });
});

describe('catalog statements', () => {
  it('SHOW TABLES lists the lake tables and registered names, by schema and pattern', async () => {
    const all = (await query({ lake }, 'SHOW TABLES')).rows.map((r) => r.tab_name);
    assert.ok(
      all.includes('cloudtrail_logs') && all.includes('cloudtrail_flat') && all.includes('account_one') && all.includes('audit.org_trail'),
    );
    assert.deepEqual((await query({ lake }, 'SHOW TABLES IN audit')).rows, [{ tab_name: 'org_trail' }]);
    assert.deepEqual((await query({ lake }, `SHOW TABLES 'cloudtrail*'`)).rows, [
      { tab_name: 'cloudtrail_flat' },
      { tab_name: 'cloudtrail_logs' },
    ]);
  });

  it('SHOW DATABASES (or SCHEMAS) lists the schemas of the lake tables and registered names; other SHOWs say what there is', async () => {
    assert.deepEqual((await query({ lake }, 'SHOW DATABASES')).rows, [{ database_name: 'audit' }, { database_name: 'default' }]);
    assert.deepEqual((await query({ lake }, `show schemas like 'def*'`)).rows, [{ database_name: 'default' }]);
    for (const sql of ['show functions', 'summarize cloudtrail_logs']) {
      await assert.rejects(query({ lake }, sql), {
        name: 'SqlError',
        kind: 'unsupported',
        message:
          /this SHOW or SUMMARIZE is not available; the ones there are: SHOW TABLES, SHOW DATABASES, SHOW COLUMNS FROM t, DESCRIBE t, SHOW PARTITIONS t, SHOW CREATE TABLE t/,
      });
    }
  });

  it("SHOW CREATE TABLE gives Athena's DDL for the lake's Parquet files: DESCRIBE's columns, the partitions, projection over the lake's accounts and regions", async () => {
    const ddl = (await query({ lake }, 'SHOW CREATE TABLE cloudtrail_logs')).rows.map((r) => String(r.createtab_stmt)).join('\n');
    const described = (await query({ lake }, 'DESCRIBE cloudtrail_logs')).rows;
    const [head] = ddl.split('\nPARTITIONED BY (\n');
    const columns = head!
      .split('\n')
      .slice(1)
      .map((line) => /^ {2}`(\w+)` (.+?)[,)]?$/.exec(line)!.slice(1, 3));
    const expected = described
      .filter((r) => r.comment !== 'partition')
      .map((r) => [r.col_name === '$path' ? 'logfile' : String(r.col_name), String(r.data_type)]);
    assert.deepEqual(columns.sort(), expected.sort());
    assert.match(ddl, /^CREATE EXTERNAL TABLE `cloudtrail_logs`\(/);
    assert.match(
      ddl,
      /PARTITIONED BY \(\n {2}`account` string,\n {2}`region` string,\n {2}`year` string,\n {2}`month` string,\n {2}`day` string\)\nSTORED AS PARQUET\nLOCATION\n {2}'file:\/\/.*\/data\/'/,
    );
    const accounts = (await query({ lake }, 'select distinct account from cloudtrail_logs order by 1')).rows
      .map((r) => r.account)
      .join(',');
    assert.ok(ddl.includes(`'projection.account.values'='${accounts}'`), ddl);
    assert.match(
      ddl,
      /'storage.location.template'='file:\/\/.*\/data\/account=\$\{account\}\/region=\$\{region\}\/year=\$\{year\}\/month=\$\{month\}\/day=\$\{day\}\/'\)$/,
    );
    await assert.rejects(query({ lake }, 'SHOW CREATE TABLE cloudtrail_flat'), {
      kind: 'unsupported',
      message: /is a view of cloudtrail_logs/,
    });
  });

  it("DESCRIBE gives the columns with Athena's types, marking partitions and hidden columns", async () => {
    const { rows, columns } = await query({ lake }, 'DESCRIBE cloudtrail_logs');
    assert.deepEqual(columns, ['col_name', 'data_type', 'comment']);
    const byName = Object.fromEntries(rows.map((r) => [r.col_name, r]));
    assert.equal(byName.eventtime!.data_type, 'string');
    assert.match(
      String(byName.useridentity!.data_type),
      /^struct<type:string,principalid:string,.*sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>/,
    );
    assert.equal(byName.resources!.data_type, 'array<struct<arn:string,accountid:string,type:string>>');
    assert.equal(byName.region!.comment, 'partition');
    assert.match(String(byName.raw!.comment), /not in SELECT \*/);
    const shown = (await query({ lake }, 'SHOW COLUMNS IN account_one')).rows.map((r) => r.col_name);
    assert.deepEqual(
      shown,
      rows.map((r) => r.col_name),
    );
  });

  it('SHOW PARTITIONS lists the partitions a table reads', async () => {
    const { rows } = await query({ lake }, 'SHOW PARTITIONS account_one');
    assert.deepEqual(rows, [
      { partition: 'region=us-east-1/year=2024/month=03/day=08/account=111122223333' },
      { partition: 'region=us-east-1/year=2024/month=03/day=09/account=111122223333' },
    ]);
  });

  it('DROP TABLE forgets a registered name, and says so when there is none', async () => {
    assert.equal(await message('DROP TABLE one_day'), "dropped one_day; the lake's data is untouched");
    await fails('select * from one_day', 'not-found', /does not exist/);
    assert.equal(await message('DROP TABLE IF EXISTS one_day'), 'one_day does not exist; nothing changed');
    await fails('DROP TABLE one_day', 'not-found', /^line 1:12: table one_day does not exist/);
  });

  it('lets a registered cloudtrail_logs stand for part of the lake until it is dropped', async () => {
    await message(DDL('cloudtrail_logs', 's3://b/AWSLogs/444455556666/CloudTrail/'));
    assert.equal(await count('cloudtrail_logs'), 1);
    assert.equal(await message('DROP TABLE cloudtrail_logs'), "dropped cloudtrail_logs; the lake's data is untouched");
    assert.equal(await count('cloudtrail_logs'), 4);
  });
});
