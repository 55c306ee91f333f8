import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AthenaSyntaxError, parseAthenaStatement } from '../src/sql/athena-statement.js';
import { parseCloudTrailLocation } from '../src/sql/cloudtrail-location.js';
import { DateFormatError, jodaToStrftime, mysqlToStrftime } from '../src/sql/dialect/datetime-format.js';
import { duckdbJsonPath } from '../src/sql/dialect/trino-functions.js';
import { parseLossless, stringifyLossless } from '../src/sql/lossless-json.js';
import { closest } from '../src/sql/sql-error.js';
import { bareAliasAt, forParser, isCompleteStatement, positionAt, splitStatements } from '../src/sql/sql-text.js';

describe('splitStatements(script)', () => {
  it('splits at top-level semicolons, not those in strings, quoted names or comments', () => {
    const script = `select ';' as a; -- a ; comment\nselect "x;y" from t /* ; */ ; select 'it''s'`;
    assert.deepEqual(
      splitStatements(script).map((s) => s.text),
      [`select ';' as a`, `select "x;y" from t`, `select 'it''s'`],
    );
  });

  it('drops empty statements and records where each statement starts', () => {
    const script = ';;\n  select 1 ;\n-- nothing\n;select 2';
    const statements = splitStatements(script);
    assert.deepEqual(
      statements.map((s) => [s.text, positionAt(script, s.start)]),
      [
        ['select 1', { line: 2, column: 3 }],
        ['select 2', { line: 4, column: 2 }],
      ],
    );
  });
});

describe('forParser(text)', () => {
  it('quotes default where it qualifies a name, and maps offsets back to the text as typed', () => {
    const typed = "select 'default.x', a from default.t join Default.u on true";
    const prepared = forParser(typed);
    assert.equal(prepared.text, `select 'default.x', a from "default".t join "Default".u on true`);
    const at = (needle: string) => prepared.text.indexOf(needle);
    assert.equal(prepared.original(at('"default".t')), typed.indexOf('default.t'));
    assert.equal(prepared.original(at('join')), typed.indexOf('join'));
    assert.equal(prepared.original(at('on true')), typed.indexOf('on true'));
  });

  it("spells Trino's array, row and map types after AS as DuckDB's, and leaves other types and names as typed", () => {
    const typed =
      'select cast(j as array(varchar)), try_cast(j AS ARRAY(MAP(VARCHAR, JSON))), cast(j as row(a bigint, "B c" array(decimal(10, 2)))), ' +
      "cast(j as map(varchar, array(timestamp(3) with time zone))), cast(j as map(varchar, varchar)), cast(j as varchar(10)), 'as array(x)' as array_x, zz from t";
    const prepared = forParser(typed);
    assert.equal(
      prepared.text,
      'select cast(j as varchar[]), try_cast(j AS MAP(VARCHAR, JSON)[]), cast(j as STRUCT(a bigint, "B c" decimal(10, 2)[])), ' +
        "cast(j as MAP(varchar, timestamp(3) with time zone[])), cast(j as map(varchar, varchar)), cast(j as varchar(10)), 'as array(x)' as array_x, zz from t",
    );
    assert.equal(prepared.original(prepared.text.indexOf('zz')), typed.indexOf('zz'));
    assert.equal(
      prepared.original(prepared.text.indexOf('varchar[]') + 3),
      typed.indexOf('array(varchar)'),
      'inside a rewritten type: its start',
    );
    assert.equal(
      forParser('select cast(j as row(varchar, bigint))').text,
      'select cast(j as row(varchar, bigint))',
      'unnamed row fields: as typed',
    );
  });

  it("reads TABLESAMPLE's number as a percentage, as Trino does", () => {
    assert.equal(forParser('select 1 from t tablesample bernoulli (10)').text, 'select 1 from t tablesample bernoulli (10%)');
    assert.equal(forParser('select 1 from t TABLESAMPLE SYSTEM (2.5)').text, 'select 1 from t TABLESAMPLE SYSTEM (2.5%)');
  });

  it("puts Trino's VALUES rows of one column in parentheses, as DuckDB wants them", () => {
    assert.equal(
      forParser(`with ips(ip) as (values '10.0.0.1', lower('A')) select * from ips order by 1`).text,
      `with ips(ip) as (values ('10.0.0.1'), (lower('A'))) select * from ips order by 1`,
    );
    assert.equal(forParser('values 1, 2 order by 1').text, 'values (1), (2) order by 1');
    assert.equal(forParser("select * from (values ('a', 1), ('b', 2)) t(x, y)").text, "select * from (values ('a', 1), ('b', 2)) t(x, y)");
  });

  it('inserts AS at the offsets given, for bare aliases', () => {
    const typed = 'select x day, count(*) name from t';
    const prepared = forParser(typed, [typed.indexOf('day'), typed.indexOf('name')]);
    assert.equal(prepared.text, 'select x AS day, count(*) AS name from t');
    assert.equal(prepared.original(prepared.text.indexOf('from')), typed.indexOf('from'));
  });
});

describe('bareAliasAt(text, offset)', () => {
  it('is the offset of a word that follows the end of an expression, and undefined elsewhere', () => {
    const text = 'select x day, count(*) name, \'a\' year, 1 hour, "q" key, select from';
    for (const word of ['day', 'name', 'year', 'hour', 'key'])
      assert.equal(bareAliasAt(text, text.indexOf(word)), text.indexOf(word), word);
    assert.equal(bareAliasAt(text, text.indexOf('x')), undefined, 'after select');
    assert.equal(bareAliasAt(text, text.indexOf('from')), undefined, 'after a keyword');
    assert.equal(bareAliasAt(text, text.indexOf(',')), undefined, 'not a word');
  });
});

describe('isCompleteStatement(buffer)', () => {
  it('is true once a statement ends with a semicolon outside strings and comments', () => {
    assert.equal(isCompleteStatement('select 1'), false);
    assert.equal(isCompleteStatement('select 1;'), true);
    assert.equal(isCompleteStatement('select 1; -- done'), true);
    assert.equal(isCompleteStatement("select ';"), false);
    assert.equal(isCompleteStatement('select 1 /* ; */'), false);
    assert.equal(isCompleteStatement('select 1 /* ;'), false);
    assert.equal(isCompleteStatement(''), false);
  });
});

describe('parseAthenaStatement(text)', () => {
  it('reads the name, partition columns, SerDe, LOCATION and TBLPROPERTIES of Hive DDL with nested struct types', () => {
    const ddl = `CREATE EXTERNAL TABLE IF NOT EXISTS \`db\`.\`trail\` (
      eventversion STRING COMMENT 'x', useridentity STRUCT<type:STRING, sessioncontext:STRUCT<attributes:STRUCT<a:STRING>>>,
      resources ARRAY<STRUCT<arn:STRING>>)
      COMMENT 'CloudTrail'
      PARTITIONED BY (region string, \`year\` string)
      ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde' WITH SERDEPROPERTIES ('a'='b')
      STORED AS INPUTFORMAT 'in' OUTPUTFORMAT 'out'
      LOCATION 's3://b/AWSLogs/111122223333/CloudTrail/'
      TBLPROPERTIES ('classification'='cloudtrail')`;
    assert.deepEqual(parseAthenaStatement(ddl), {
      kind: 'create-table',
      table: { schema: 'db', name: 'trail', at: 36 },
      ifNotExists: true,
      columns: ['eventversion', 'useridentity', 'resources'],
      partitionedBy: ['region', 'year'],
      properties: { classification: 'cloudtrail' },
      serde: 'com.amazon.emr.hive.serde.CloudTrailSerde',
      storedAs: 'in',
      location: 's3://b/AWSLogs/111122223333/CloudTrail/',
    });
  });

  it('reads partition maintenance, catalog questions and EXPLAIN, and leaves queries to DuckDB', () => {
    assert.deepEqual(parseAthenaStatement(`alter table t add partition (Year='2021', month='01') location 's3://x'`), {
      kind: 'add-partition',
      table: { name: 't', at: 12 },
      partitions: [{ year: '2021', month: '01' }],
    });
    assert.deepEqual(parseAthenaStatement('msck repair table "db"."t"'), {
      kind: 'repair-table',
      table: { schema: 'db', name: 't', at: 18 },
    });
    assert.deepEqual(parseAthenaStatement('show tables in db'), { kind: 'show-tables', schema: 'db' });
    assert.deepEqual(parseAthenaStatement('describe t'), { kind: 'describe', table: { name: 't', at: 9 } });
    assert.deepEqual(parseAthenaStatement('explain analyze select 1'), {
      kind: 'explain',
      analyze: true,
      query: 'select 1',
      queryStart: 16,
    });
    assert.deepEqual(parseAthenaStatement('select * from t'), { kind: 'query' });
    assert.deepEqual(parseAthenaStatement('alter table t rename to u'), { kind: 'query' });
  });

  it('says where Hive DDL stops making sense', () => {
    assert.throws(
      () => parseAthenaStatement(`create external table t (a string) location 's3://x' bogus`),
      (e: unknown) => e instanceof AthenaSyntaxError && e.message === 'unexpected text in CREATE EXTERNAL TABLE at "bogus"' && e.at === 53,
    );
    assert.throws(() => parseAthenaStatement('msck repair table'), /expected a name at the end of the statement/);
  });
});

describe('parseCloudTrailLocation(uri)', () => {
  it('reads the account, region and period of a CloudTrail prefix', () => {
    assert.deepEqual(parseCloudTrailLocation('s3://b/AWSLogs/123456789012/CloudTrail/us-east-1/2017/05/'), {
      uri: 's3://b/AWSLogs/123456789012/CloudTrail/us-east-1/2017/05/',
      account: '123456789012',
      region: 'us-east-1',
      year: '2017',
      month: '05',
    });
    assert.deepEqual(parseCloudTrailLocation('s3://b/prefix/AWSLogs/o-abc123def4/123456789012/CloudTrail/'), {
      uri: 's3://b/prefix/AWSLogs/o-abc123def4/123456789012/CloudTrail/',
      account: '123456789012',
    });
    assert.deepEqual(parseCloudTrailLocation('s3://b/AWSLogs/'), { uri: 's3://b/AWSLogs/' });
  });

  it('is undefined for a prefix that is not CloudTrail', () => {
    assert.equal(parseCloudTrailLocation('s3://b/parquettrails/'), undefined);
    assert.equal(parseCloudTrailLocation('s3://b/AWSLogs/123456789012/Config/'), undefined);
    assert.equal(parseCloudTrailLocation('/local/path'), undefined);
    assert.equal(parseCloudTrailLocation('s3://b/AWSLogs/123456789012/CloudTrail/us-east-1/2026/13/45/'), undefined, 'no month 13');
  });
});

describe('date formats', () => {
  it("translates MySQL's format letters (date_format, date_parse)", () => {
    assert.equal(mysqlToStrftime('%Y-%m-%d %H:%i:%s'), '%Y-%m-%d %H:%M:%S');
    assert.equal(mysqlToStrftime('%c/%e/%y %l:%i %p %% %T'), '%-m/%-d/%y %-I:%M %p %% %H:%M:%S');
    assert.throws(() => mysqlToStrftime('%D'), DateFormatError);
  });

  it("translates Joda's patterns (parse_datetime, format_datetime), quoted text included", () => {
    assert.equal(jodaToStrftime("yyyy-MM-dd'T'HH:mm:ss.SSS"), '%Y-%m-%dT%H:%M:%S.%g');
    assert.equal(jodaToStrftime('d MMM yyyy, h:mm a EEE'), '%-d %b %Y, %-I:%M %p %a');
    assert.equal(jodaToStrftime("''yy''"), "'%y'");
    assert.throws(() => jodaToStrftime('yyyy-ww'), DateFormatError);
  });
});

describe('JSON paths', () => {
  it("reads Trino's bracket-quoted keys as DuckDB's quoted keys", () => {
    assert.equal(duckdbJsonPath('$["a b"].c[0]'), '$."a b".c[0]');
    assert.equal(duckdbJsonPath('$.changeBatch.changes[0].action'), '$.changeBatch.changes[0].action');
  });
});

describe('parseLossless(text) and stringifyLossless(value)', () => {
  it('keep 64-bit numbers, infinities and doubles with integer values (1.0) of serialized SQL exactly', () => {
    const text =
      '{"query_location":18446744073709551615,"v":{"lower":12345678901234567890},"d":Infinity,"n":-1.5,"one":1.0,"e":1e300,"s":"a\\"b","x":[true,null]}';
    assert.equal(stringifyLossless(parseLossless(text)), text);
  });
});

describe('closest(word, candidates)', () => {
  it('prefers the nearest names and matches the last dotted segment', () => {
    assert.deepEqual(closest('eventnme', ['eventname', 'eventtime', 'eventid']), ['eventname']);
    assert.deepEqual(closest('username', ['useridentity.username', 'useragent']), ['useridentity.username']);
    assert.deepEqual(closest('zzz', ['eventname']), []);
  });
});
