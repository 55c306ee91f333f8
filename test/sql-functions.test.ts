import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingest } from '../src/ingest/ingest.js';
import { openQuerySession, SqlError, type LakeSession } from '../src/sql/query.js';
import { record, writeLogFile } from './support/log-files.js';

/**
 * The functions people use on CloudTrail in Athena, with Trino's answers (including the
 * edge cases where DuckDB's own function of the same name answers differently).
 */

let dir = '';
let session: LakeSession;
const records = [
  record({
    eventTime: '2017-05-18T10:00:00Z',
    eventName: 'AssumeRole',
    readOnly: false,
    resources: [
      { ARN: 'arn:aws:iam::111122223333:role/admin', accountId: '111122223333', type: 'AWS::IAM::Role' },
      { ARN: 'arn:aws:kms:us-east-1:111122223333:key/k1', accountId: '111122223333', type: 'AWS::KMS::Key' },
    ],
  }),
  record({ eventTime: '2017-05-18T11:00:00Z', eventName: 'DescribeInstances', readOnly: true, errorCode: 'Throttling' }),
  record({ eventTime: '2017-05-18T12:00:00Z', eventName: 'GetObject', readOnly: true, requestParameters: { bucketName: 'my-bucket' } }),
];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trailscope-functions-'));
  await writeLogFile(join(dir, 'logs'), { date: '2017-05-18', records });
  await ingest({ lake: join(dir, 'lake'), sources: [join(dir, 'logs')] });
  session = await openQuerySession({ lake: join(dir, 'lake') });
});
after(async () => {
  session.close();
  await rm(dir, { recursive: true, force: true });
});

async function rows(sql: string) {
  return (await session.run(sql)).at(-1)!.rows;
}

/** The value of one expression. */
async function value(expression: string): Promise<unknown> {
  return (await rows(`select ${expression} as v`))[0]!.v;
}

async function values(cases: Record<string, unknown>): Promise<void> {
  for (const [expression, expected] of Object.entries(cases)) assert.deepEqual(await value(expression), expected, expression);
}

describe('JSON functions', () => {
  it('json_extract returns JSON text, and NULL for a missing path or text that is not JSON', async () => {
    await values({
      [`json_extract('{"a":{"b":[1,2]}}', '$.a.b')`]: '[1,2]',
      [`json_extract('{"a":"x"}', '$.a')`]: '"x"',
      [`json_extract('{"a":{"b":[1,2]}}', '$.a.b[1]')`]: '2',
      [`json_extract('{"a":1}', '$.missing')`]: null,
      [`json_extract('not json', '$.a')`]: null,
      [`json_extract('{"a b":{"c":true}}', '$["a b"].c')`]: 'true',
    });
  });

  it('json_extract_scalar returns the scalar as text, and NULL for objects and arrays (as Trino, unlike json_extract_string)', async () => {
    await values({
      [`json_extract_scalar('{"a":"x"}', '$.a')`]: 'x',
      [`json_extract_scalar('{"a":1.5}', '$.a')`]: '1.5',
      [`json_extract_scalar('{"a":true}', '$.a')`]: 'true',
      [`json_extract_scalar('{"a":{"b":1}}', '$.a')`]: null,
      [`json_extract_scalar('{"a":[1]}', '$.a')`]: null,
      [`json_extract_scalar('{"a":null}', '$.a')`]: null,
      [`json_extract_scalar('{"a":1}', '$.b')`]: null,
      [`json_extract_scalar('not json', '$.a')`]: null,
      [`json_extract_scalar(NULL, '$.a')`]: null,
    });
  });

  it('json_array_length counts an array and is NULL for anything else', async () => {
    await values({
      [`json_array_length('[1, 2, 3]')`]: 3,
      [`json_array_length('[]')`]: 0,
      [`json_array_length('{"a":1}')`]: null,
      [`json_array_length('7')`]: null,
      [`json_array_length('[1,')`]: null,
      [`json_array_length(json_extract('{"a":[{"b":1},{"b":2}]}', '$.a'))`]: 2,
    });
  });

  it('json_parse reads JSON text and json_format writes it back, compact', async () => {
    await values({
      [`json_format(json_parse('{"a": [1, 2]}'))`]: '{"a":[1,2]}',
      [`json_extract_scalar(json_parse('{"a": "x"}'), '$.a')`]: 'x',
    });
    await assert.rejects(value(`json_parse('{not json')`), SqlError);
  });

  it("casts JSON to varchar as Trino: a string's value unquoted, a number's or boolean's text", async () => {
    await values({
      [`cast(json_extract('{"a":"x"}', '$.a') as varchar)`]: 'x',
      [`try_cast(json_extract('{"a":"x"}', '$.a') as varchar)`]: 'x',
      [`cast(json '"x"' as varchar)`]: 'x',
      [`cast(cast('"x"' as json) as varchar)`]: 'x',
      [`cast(json_parse('1.5') as varchar)`]: '1.5',
      [`cast(json_extract('{"a":true}', '$.a') as varchar)`]: 'true',
      [`cast(json_extract('{"a":null}', '$.a') as varchar)`]: null,
      [`cast(json_extract('{"a":{"b":1}}', '$.a') as varchar)`]: '{"b":1}',
      [`cast(42 as varchar)`]: '42',
      [`cast('"quoted"' as varchar)`]: '"quoted"',
    });
    const [row] = await rows(
      `select count(*) as n from cloudtrail_logs where cast(json_extract(requestparameters, '$.bucketName') as varchar) = 'my-bucket'`,
    );
    assert.equal(row!.n, 1);
  });

  it('json_value, json_query and json_exists take SQL/JSON paths (lax or strict), NULL (false) on error', async () => {
    await values({
      [`json_value('{"a":{"b":"x"}}', 'lax $.a.b')`]: 'x',
      [`json_value('{"a":[1,2]}', 'strict $.a[1]')`]: '2',
      [`json_value('{"a":{"b":1}}', 'lax $.a')`]: null,
      [`json_value('not json', 'lax $.a')`]: null,
      [`json_query('{"a":{"b":"x"}}', 'lax $.a')`]: '{"b":"x"}',
      [`json_query('{"a":"x"}', 'lax $.a')`]: '"x"',
      [`json_query('{"a":1}', 'lax $.missing')`]: null,
      [`json_exists('{"a":{"b":1}}', 'lax $.a.b')`]: true,
      [`json_exists('{"a":1}', 'strict $.b')`]: false,
      [`json_exists('not json', 'lax $.a')`]: false,
      [`json_exists(null, 'lax $.a')`]: null,
    });
  });
});

describe('date and time functions', () => {
  it('from_iso8601_timestamp and from_iso8601_date read CloudTrail times; results print as Athena prints them', async () => {
    await values({
      [`from_iso8601_timestamp('2017-05-18T10:00:00Z')`]: '2017-05-18 10:00:00.000 UTC',
      [`from_iso8601_timestamp('2017-05-18T19:00:00+09:00')`]: '2017-05-18 10:00:00.000 UTC',
      [`from_iso8601_timestamp('2017-05-18T10:00:00.5Z')`]: '2017-05-18 10:00:00.500 UTC',
      [`from_iso8601_date('2017-05-18')`]: '2017-05-18',
    });
  });

  it("date_parse and date_format use MySQL's format letters (%i minutes, %s seconds)", async () => {
    await values({
      [`date_parse('2017-05-18 10:11:12', '%Y-%m-%d %H:%i:%s')`]: '2017-05-18 10:11:12.000',
      [`date_format(from_iso8601_timestamp('2017-05-18T10:11:12Z'), '%Y/%m/%d %H:%i:%s')`]: '2017/05/18 10:11:12',
      [`date_format(date_parse('05/18/2017 1:02 PM', '%m/%d/%Y %l:%i %p'), '%T')`]: '13:02:00',
    });
  });

  it('parse_datetime reads Joda patterns into a time with zone', async () => {
    await values({
      [`parse_datetime('2017-05-18 10:11', 'yyyy-MM-dd HH:mm')`]: '2017-05-18 10:11:00.000 UTC',
      [`parse_datetime('18/05/2017', 'dd/MM/yyyy')`]: '2017-05-18 00:00:00.000 UTC',
      [`parse_datetime('2017-05-18T10:11:12Z', 'yyyy-MM-dd''T''HH:mm:ssZ')`]: '2017-05-18 10:11:12.000 UTC',
      [`parse_datetime('2017-05-18T10:11:12+02:00', 'yyyy-MM-dd''T''HH:mm:ssZZ')`]: '2017-05-18 08:11:12.000 UTC',
    });
  });

  it('reads time literals with a zone as times with zone, and converts between zones as Trino', async () => {
    await values({
      [`timestamp '2017-05-18 00:00:00 America/New_York'`]: '2017-05-18 04:00:00.000 UTC',
      [`timestamp '2017-05-18 00:00:00+05:00'`]: '2017-05-17 19:00:00.000 UTC',
      [`timestamp '2017-05-18 00:00:00 UTC'`]: '2017-05-18 00:00:00.000 UTC',
      [`timestamp '2017-05-18 09:00 America/New_York'`]: '2017-05-18 13:00:00.000 UTC',
      [`timestamp '2017-05-18 00:00 UTC'`]: '2017-05-18 00:00:00.000 UTC',
      [`timestamp '2017-05-18 09:00:00 +05:00'`]: '2017-05-18 04:00:00.000 UTC',
      [`timestamp '2017-05-18 09:00:00.5+05:00'`]: '2017-05-18 04:00:00.500 UTC',
      [`timestamp '2017-05-18 00:00:00'`]: '2017-05-18 00:00:00.000',
      [`with_timezone(timestamp '2017-05-18 00:00:00', 'America/New_York')`]: '2017-05-18 04:00:00.000 UTC',
      [`at_timezone(from_iso8601_timestamp('2017-05-18T12:00:00Z'), 'Asia/Tokyo')`]: '2017-05-18 21:00:00.000',
      [`current_timezone()`]: 'UTC',
    });
    const [row] = await rows(
      `select count(*) as n from cloudtrail_logs where from_iso8601_timestamp(eventtime) >= timestamp '2017-05-18 06:30:00 America/New_York'`,
    );
    assert.equal(row!.n, 2, '06:30 in New York is 10:30 UTC: the 11:00 and 12:00 events');
  });

  it('from_iso8601_timestamp reads ISO 8601 literals without seconds, and still prunes by eventtime', async () => {
    await values({
      [`from_iso8601_timestamp('2017-05-18T10:11Z')`]: '2017-05-18 10:11:00.000 UTC',
      [`from_iso8601_timestamp('2017-05-18T10:11+01:00')`]: '2017-05-18 09:11:00.000 UTC',
    });
    const [result] = await session.run(
      `select count(*) as n from cloudtrail_logs where from_iso8601_timestamp(eventtime) >= from_iso8601_timestamp('2017-05-18T10:30Z')`,
    );
    assert.deepEqual(result!.rows, [{ n: 2 }]);
    assert.ok(
      result!.kind === 'query' && result!.stats.scans[0]!.prunedBy.includes('eventtime'),
      'the predicate is still one on eventtime',
    );
  });

  it('to_unixtime and from_unixtime convert to and from epoch seconds', async () => {
    await values({
      [`to_unixtime(from_iso8601_timestamp('2017-05-18T10:00:00Z'))`]: 1495101600,
      [`from_unixtime(1495101600)`]: '2017-05-18 10:00:00.000 UTC',
      [`from_unixtime(1495101600.25)`]: '2017-05-18 10:00:00.250 UTC',
    });
  });

  it('date_trunc, date_add and date_diff take the unit first; date_diff counts whole units', async () => {
    await values({
      [`date_trunc('day', from_iso8601_timestamp('2017-05-18T10:11:12Z'))`]: '2017-05-18 00:00:00.000 UTC',
      [`date_trunc('month', from_iso8601_timestamp('2017-05-18T10:11:12Z'))`]: '2017-05-01 00:00:00.000 UTC',
      [`date_add('day', 2, from_iso8601_timestamp('2017-05-18T10:00:00Z'))`]: '2017-05-20 10:00:00.000 UTC',
      [`date_add('hour', -3, from_iso8601_timestamp('2017-05-18T01:00:00Z'))`]: '2017-05-17 22:00:00.000 UTC',
      [`date_add('month', 1, date '2017-01-31')`]: '2017-02-28',
      [`date_diff('day', from_iso8601_timestamp('2017-05-18T23:00:00Z'), from_iso8601_timestamp('2017-05-19T01:00:00Z'))`]: 0,
      [`date_diff('hour', from_iso8601_timestamp('2017-05-18T23:00:00Z'), from_iso8601_timestamp('2017-05-19T01:00:00Z'))`]: 2,
      [`date_diff('second', from_iso8601_timestamp('2017-05-18T10:00:10Z'), from_iso8601_timestamp('2017-05-18T10:00:00Z'))`]: -10,
    });
    await assert.rejects(value(`date_add('fortnight', 1, current_timestamp)`), /date_add: unknown unit 'fortnight'/);
  });

  it('current_timestamp and now() are the time of the query', async () => {
    const before = Date.now();
    const [row] = await rows(
      `select to_unixtime(current_timestamp) as a, to_unixtime(now()) as b, now() > from_iso8601_timestamp('2020-01-01T00:00:00Z') as later`,
    );
    assert.ok(Math.abs(Number(row!.a) * 1000 - before) < 60_000);
    assert.ok(Math.abs(Number(row!.b) * 1000 - before) < 60_000);
    assert.equal(row!.later, true);
  });
});

describe('aggregate functions', () => {
  it('approx_distinct, approx_percentile, arbitrary and count_if answer as Trino', async () => {
    const [row] = await rows(`
      select approx_distinct(eventname) as names, approx_percentile(n, 0.5) as median,
             arbitrary(errorcode) as some_error, count_if(readonly = 'true') as reads
      from (select *, 1 as n from cloudtrail_logs)`);
    assert.deepEqual(row, { names: 3, median: 1, some_error: 'Throttling', reads: 2 });
    assert.equal(await value(`(select arbitrary(x) from (values (NULL), ('a'), (NULL)) t(x))`), 'a', 'arbitrary skips NULLs');
  });

  it("approx_distinct is within Athena's 2.3% standard error (DuckDB's own sketch is 10-25% off)", async () => {
    for (const n of [79, 1000, 100_000]) {
      const counted = Number(await value(`(select approx_distinct('10.0.' || x) from range(${n}) t(x))`));
      assert.ok(Math.abs(counted - n) <= n * 0.023, `${counted} for ${n} distinct values`);
    }
    const [row] = await rows(`select approx_distinct(x, 0.01) as a from (values ('a'), ('b'), ('a'), (NULL)) t(x)`);
    assert.equal(row!.a, 2, 'NULLs are not counted, the error bound is taken');
  });

  it('count_if counts 0 where no row meets the condition, also when every condition is NULL (DuckDB says NULL)', async () => {
    const [row] = await rows(`select count_if(x = 1) as a, count_if(x is null) as b from (values (cast(null as integer))) t(x)`);
    assert.deepEqual(row, { a: 0, b: 1 });
    const byName = await rows(
      `select eventname, count_if(errorcode = 'AccessDenied') as denied from cloudtrail_logs group by 1 order by 1`,
    );
    assert.deepEqual(
      byName.map((r) => r.denied),
      [0, 0, 0],
    );
  });

  it('approx_distinct keeps working with FILTER, and count_if as a window function', async () => {
    const [row] = await rows(`select approx_distinct(eventname) filter (where readonly = 'true') as reads from cloudtrail_logs`);
    assert.equal(row!.reads, 2);
    const windowed = await rows(`select eventname, count_if(readonly = 'true') over () as reads from cloudtrail_logs order by eventname`);
    assert.deepEqual(
      windowed.map((r) => r.reads),
      [2, 2, 2],
    );
  });
});

describe('string, regular expression and array functions', () => {
  it('regexp_like finds a match anywhere, case-sensitively', async () => {
    await values({
      [`regexp_like('AssumeRole', 'Role$')`]: true,
      [`regexp_like('AssumeRole', 'role')`]: false,
      [`regexp_like('abc', 'b')`]: true,
    });
  });

  it('regexp_extract returns the first match (or group), and NULL when nothing matches', async () => {
    await values({
      [`regexp_extract('a1b22', '\\d+')`]: '1',
      [`regexp_extract('user/alice', 'user/(\\w+)', 1)`]: 'alice',
      [`regexp_extract('abc', 'z')`]: null,
      [`regexp_extract('abc', '(z)', 1)`]: null,
    });
  });

  it('regexp_replace replaces every match and refers to groups as $1', async () => {
    await values({ [`regexp_replace('a1b2', '(\\d)', '<$1>')`]: 'a<1>b<2>', [`regexp_replace('a1b2', '\\d')`]: 'ab' });
  });

  it('split, split_part and strpos work on text; split_part past the end is NULL', async () => {
    await values({
      [`split('a,b,,c', ',')`]: ['a', 'b', '', 'c'],
      [`split_part('a,b,c', ',', 2)`]: 'b',
      [`split_part('a,b', ',', 3)`]: null,
      [`strpos('arn:aws:iam', 'iam')`]: 9,
      [`strpos('abc', 'x')`]: 0,
    });
  });

  it('cardinality, element_at, contains and array_join work on arrays; element_at past the end is NULL', async () => {
    await values({
      [`cardinality(array['a', 'b', 'c'])`]: 3,
      [`element_at(array['a', 'b'], 2)`]: 'b',
      [`element_at(array['a', 'b'], -1)`]: 'b',
      [`element_at(array['a'], 5)`]: null,
      [`element_at(map(array['k'], array['v']), 'k')`]: 'v',
      [`contains(array['a', 'b'], 'b')`]: true,
      [`contains(array['a', 'b'], 'c')`]: false,
      [`array_join(array['a', NULL, 'b'], ',')`]: 'a,b',
      [`array_join(array['a', NULL, 'b'], ',', 'null')`]: 'a,null,b',
    });
  });

  it('try and try_cast turn errors into NULL', async () => {
    await values({ [`try(cast('x' as integer))`]: null, [`try_cast('5' as bigint)`]: 5, [`try_cast('x' as bigint)`]: null });
  });
});

describe("more of Trino's functions", () => {
  it('map_agg, set_agg and every aggregate as Trino', async () => {
    const [row] = await rows(`select map_agg(k, v) as m, cardinality(set_agg(k)) as s, every(v > 0) as e
      from (values ('a', 1), ('b', 2), ('a', 3), (null, 4)) t(k, v)`);
    assert.equal(Object.keys(row!.m as object).join(), 'a,b', 'one value for a key given twice, none for NULL');
    assert.deepEqual({ s: row!.s, e: row!.e }, { s: 3, e: true });
    const [big] = await rows(`select cardinality(map_agg('k' || (x % 5000), x)) as n from range(200000) t(x)`);
    assert.equal(big!.n, 5000, '200,000 rows, 5,000 keys: in a blink (it was quadratic)');
    assert.deepEqual(await rows(`select map_agg(x, x) as m from range(3) t(x) where x > 5`), [{ m: null }], 'NULL over no rows');
    const byName = await rows(`select eventname, map_agg(readonly, 1) as m from cloudtrail_logs group by 1 order by 1`);
    assert.deepEqual(byName[0], { eventname: 'AssumeRole', m: { false: 1 } });
  });

  it('array predicates and helpers: any_match, all_match, none_match, array_remove, array_distinct (in order), sequence', async () => {
    await values({
      [`any_match(array[1, 2, 3], x -> x > 2)`]: true,
      [`any_match(array[], x -> x > 2)`]: false,
      [`all_match(array[1, 2, 3], x -> x > 0)`]: true,
      [`all_match(array[1, 2, 3], x -> x > 1)`]: false,
      [`none_match(array[1, 2, 3], x -> x > 5)`]: true,
      [`array_remove(array[1, 2, null, 2], 2)`]: [1, null],
      [`array_distinct(array[3, 1, 3, null, 2, 1, null])`]: [3, 1, null, 2],
      [`array_distinct(array['b', 'a', 'b'])`]: ['b', 'a'],
      [`sequence(1, 4)`]: [1, 2, 3, 4],
      [`sequence(1, 10, 4)`]: [1, 5, 9],
    });
  });

  it("tests IPv4 addresses against CIDR blocks as Athena's contains(block, CAST(ip AS IPADDRESS)) does", async () => {
    await values({
      [`contains('10.0.0.0/8', cast('10.1.2.3' as ipaddress))`]: true,
      [`contains('10.0.0.0/8', cast('11.1.2.3' as IPADDRESS))`]: false,
      [`contains('192.168.1.0/24', '192.168.1.255')`]: true,
      [`contains('192.168.1.0/24', '192.168.2.0')`]: false,
      [`contains('0.0.0.0/0', '8.8.8.8')`]: true,
      [`contains('1.2.3.4/32', '1.2.3.4')`]: true,
      [`contains('10.0.0.0/8', 's3.amazonaws.com')`]: null,
      [`contains(array[1, 2], 2)`]: true,
    });
  });

  it("takes VALUES rows of one column without parentheses, as in an allowlist's CTE", async () => {
    const got = await rows(
      `with names(n) as (values 'AssumeRole', 'GetObject') select count(*) as c from cloudtrail_logs where eventname in (select n from names)`,
    );
    assert.deepEqual(got, [{ c: 2 }]);
  });

  it('cardinality and UNNEST take maps as well as arrays', async () => {
    await values({
      [`cardinality(map(array['a', 'b'], array[1, 2]))`]: 2,
      [`cardinality(cast(json_parse('{"x": 1}') as map(varchar, integer)))`]: 1,
      [`cardinality(array[1, 2, 3])`]: 3,
    });
    assert.deepEqual(await rows(`select k, v from unnest(map(array['a', 'b'], array[1, 2])) as t(k, v) order by k`), [
      { k: 'a', v: 1 },
      { k: 'b', v: 2 },
    ]);
    const [row] = await rows(
      `select count(*) as n from cloudtrail_logs cross join unnest(useridentity.sessioncontext.webidfederationdata.attributes) as t(k, v)`,
    );
    assert.equal(row!.n, 0);
  });

  it('strings, numbers and dates: regexp_split, two-argument replace, codepoint, bitwise, nan and infinity, last_day_of_month', async () => {
    await values({
      [`regexp_split('a1b22c', '[0-9]+')`]: ['a', 'b', 'c'],
      [`regexp_count('a/b/c', '/')`]: 2,
      [`regexp_count('abc', 'x')`]: 0,
      [`replace('a-b-c', '-')`]: 'abc',
      [`codepoint('A')`]: 65,
      [`hamming_distance('abc', 'abd')`]: 1,
      [`from_utf8(to_utf8('Zoë'))`]: 'Zoë',
      [`bitwise_and(12, 10)`]: 8,
      [`bitwise_or(12, 10)`]: 14,
      [`bitwise_xor(12, 10)`]: 6,
      [`bitwise_not(5)`]: -6,
      [`is_nan(nan())`]: true,
      [`is_infinite(infinity())`]: true,
      [`is_finite(1e0)`]: true,
      [`rand() < 1`]: true,
      [`last_day_of_month(date '2024-02-10')`]: '2024-02-29',
    });
  });
});

describe('CloudTrail columns and Trino semantics', () => {
  it('CROSS JOIN UNNEST(resources) AS t(r) gives one row per resource, with r.arn and r.type', async () => {
    const result = await rows(`select eventname, r.arn, r.type from cloudtrail_logs cross join unnest(resources) as t(r) order by r.type`);
    assert.deepEqual(result, [
      { eventname: 'AssumeRole', arn: 'arn:aws:iam::111122223333:role/admin', type: 'AWS::IAM::Role' },
      { eventname: 'AssumeRole', arn: 'arn:aws:kms:us-east-1:111122223333:key/k1', type: 'AWS::KMS::Key' },
    ]);
  });

  it('CROSS JOIN UNNEST(resources) AS t(arn, accountid, type) gives the fields of each resource as columns, as Trino does for rows', async () => {
    const [result] = await session.run(
      `select eventname, t.arn, t.type from cloudtrail_logs cross join unnest(resources) as t(arn, accountid, type) where eventtime like '2017-05-18%' order by t.type`,
    );
    assert.deepEqual(result!.rows, [
      { eventname: 'AssumeRole', arn: 'arn:aws:iam::111122223333:role/admin', type: 'AWS::IAM::Role' },
      { eventname: 'AssumeRole', arn: 'arn:aws:kms:us-east-1:111122223333:key/k1', type: 'AWS::KMS::Key' },
    ]);
    assert.deepEqual(result!.stats.scans[0]!.prunedBy, ['eventtime'], 'the unnest does not stop pruning');
  });

  it('UNNEST of several arrays pairs their elements, and WITH ORDINALITY numbers them', async () => {
    assert.deepEqual(await rows(`select x, y from unnest(array[1, 2, 3], array['a', 'b']) as t(x, y)`), [
      { x: 1, y: 'a' },
      { x: 2, y: 'b' },
      { x: 3, y: null },
    ]);
    assert.deepEqual(
      await rows(`select r.type, n from cloudtrail_logs cross join unnest(resources) with ordinality as t(r, n) order by n`),
      [
        { type: 'AWS::IAM::Role', n: 1 },
        { type: 'AWS::KMS::Key', n: 2 },
      ],
    );
  });

  it('"$path" is the log file of each row', async () => {
    const result = await rows(`select distinct "$path" from cloudtrail_logs`);
    assert.equal(result.length, 1);
    assert.match(String(result[0]!['$path']), /^file:\/\/.*_CloudTrail_us-east-1_.*\.json\.gz$/);
  });

  it('divides integers as integers: 7 / 2 is 3, -7 / 2 is -3, 7.0 / 2 is 3.5', async () => {
    await values({ '7 / 2': 3, '-7 / 2': -3, '7.0 / 2': 3.5, '7 / 2.0': 3.5, '7 % 3': 1, '-7 % 3': -1 });
  });

  it('fails an integer division by zero as Trino does, instead of answering NULL', async () => {
    for (const expression of ['1 / 0', '7 % 0', 'count(*) / count_if(false)']) {
      await assert.rejects(
        session.run(`select ${expression} from cloudtrail_logs`),
        { name: 'SqlError', message: /Division by zero/ },
        expression,
      );
    }
    assert.equal(await value('cast(1 as double) / 2'), 0.5);
    const tried = await rows(
      `select try(1 / 0) as a, try(7 % 0) as b, try(length(eventname) / (length(eventid) - length(eventid))) as c from cloudtrail_logs`,
    );
    assert.deepEqual(tried[0], { a: null, b: null, c: null }, 'try() turns it into NULL, as in Athena');
  });

  it('takes bare aliases that are keywords to DuckDB (day, type, name, value...), as Trino does', async () => {
    const got = await rows(
      `select substr(eventtime, 1, 10) day, eventname name, count(*) value, 'x' type from cloudtrail_logs group by 1, 2 order by 2`,
    );
    assert.deepEqual(got[0], { day: '2017-05-18', name: 'AssumeRole', value: 1, type: 'x' });
    await assert.rejects(session.run(`select eventname from cloudtrail_logs where eventname = 'x' day`), (e: SqlError) => {
      assert.equal(e.kind, 'syntax');
      assert.match(e.message, /^line 1:61: syntax error at "day"/);
      return true;
    });
  });

  it('casts JSON to array(...), map(...) and row(...) types written as Trino writes them', async () => {
    const [row] = await rows(`select
      cast(json_parse('["a","b"]') as array(varchar)) as a,
      cast(json_parse('[{"k":"v"}]') as array(map(varchar, varchar))) as b,
      cast(json_parse('{"x":1,"y":"z"}') as row(x bigint, y varchar)) as c,
      try_cast(json_parse('[[1,2],[3]]') as ARRAY(ARRAY(INTEGER))) as d,
      cardinality(cast(json_extract(requestparameters, '$.items') as array(json))) as n
      from cloudtrail_logs where eventname = 'AssumeRole'`);
    assert.deepEqual(row, { a: ['a', 'b'], b: [{ k: 'v' }], c: { x: 1, y: 'z' }, d: [[1, 2], [3]], n: null });
    await assert.rejects(session.run(`select cast(eventname as array(varchar)), nosuch from cloudtrail_logs`), {
      message: /^line 1:43: column 'nosuch'/,
    });
  });

  it('keeps DECIMAL values exact: numbers up to 15 digits, their text beyond', async () => {
    const [row] =
      await rows(`select cast('99999999999999.99' as decimal(16,2)) as wide, cast('12345678.123456789' as decimal(20,9)) as scale,
      cast('1.25' as decimal(10,2)) as narrow, sum(cast('0.1' as decimal(38,2))) as total from (values (1), (2)) t(x)`);
    assert.deepEqual(row, { wide: '99999999999999.99', scale: '12345678.123456789', narrow: 1.25, total: '0.20' });
  });

  it('reads numbers in scientific notation as doubles, with or without a point', async () => {
    await values({ '1e0': 1, '2E3 / 4': 500, '1.5e1': 15, '-1e-1': -0.1, '1e0 + 1': 2 });
  });

  it('compares with LIKE case-sensitively', async () => {
    await values({ [`'AssumeRole' like 'assume%'`]: false, [`'AssumeRole' like 'Assume%'`]: true });
  });

  it("keeps readonly as the string 'true'/'false' and eventtime as the ISO string", async () => {
    const result = await rows(`select readonly, typeof(readonly) as t, eventtime from cloudtrail_logs where readonly = 'false'`);
    assert.deepEqual(result, [{ readonly: 'false', t: 'VARCHAR', eventtime: '2017-05-18T10:00:00Z' }]);
  });

  it('gives NULL for fields a record does not have', async () => {
    const result = await rows(
      `select errorcode, useridentity.sessioncontext.sessionissuer.username as issuer from cloudtrail_logs where eventname = 'GetObject'`,
    );
    assert.deepEqual(result, [{ errorcode: null, issuer: null }]);
  });

  it('reads column and struct field names without regard to case', async () => {
    const result = await rows(
      `select useridentity.userName as a, USERIDENTITY.USERNAME as b, "useridentity"."UserName" as c from cloudtrail_logs limit 1`,
    );
    assert.deepEqual(result, [{ a: 'alice', b: 'alice', c: 'alice' }]);
  });

  it('sorts NULLs last in both directions', async () => {
    const asc = await rows(`select errorcode from cloudtrail_logs order by errorcode asc`);
    const desc = await rows(`select errorcode from cloudtrail_logs order by errorcode desc`);
    assert.deepEqual(asc.at(-1), { errorcode: null });
    assert.deepEqual(desc.at(-1), { errorcode: null });
    assert.equal(desc[0]!.errorcode, 'Throttling');
  });

  it('names a result column without a name _col<position>, as Athena', async () => {
    const result = (
      await session.run(`select eventname, count(*), max(eventtime) as latest from cloudtrail_logs group by 1 order by 1 limit 1`)
    )[0]!;
    assert.deepEqual(result.columns, ['eventname', '_col1', 'latest']);
  });
});
