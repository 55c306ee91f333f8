import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatRows } from '../src/cli/result-format.js';
import { Engine } from '../src/engine/duckdb-engine.js';
import type { LineFormat } from '../src/engine/result-lines-query.js';

/**
 * `Engine.select` reads results through JSON text that DuckDB writes; its rows must be
 * exactly what the value converter of `Engine.query` gives, for every type a query can return.
 */

let engine: Engine;

before(async () => {
  engine = await Engine.create({ threads: 2 });
  await engine.run(`SET TimeZone = 'UTC'`);
});
after(() => engine.close());

async function same(sql: string): Promise<void> {
  const slow = await engine.query(sql);
  const fast = await engine.select(sql);
  assert.deepEqual(fast.types, slow.types);
  assert.deepEqual(fast.rows, slow.rows, sql);
}

describe('Engine.select(sql)', () => {
  it('gives the values of Engine.query for scalars, NULLs and edge values', async () => {
    await same(`SELECT * FROM (VALUES
      ('text', 'with "quotes", \\back\\slash, tab' || chr(9) || ' newline' || chr(10) || ' nul' || chr(1) || ' ünï ✓ 🙂', true, 1::TINYINT, -2::SMALLINT, 3::INTEGER, 4::UTINYINT, 5::USMALLINT, 6::UINTEGER),
      (NULL, '', false, NULL, NULL, NULL, NULL, NULL, NULL),
      ('x', '\\u0041 </script>', NULL, (-128)::TINYINT, (-32768)::SMALLINT, (-2147483648)::INTEGER, 255::UTINYINT, 65535::USMALLINT, 4294967295::UINTEGER)
    ) AS t(a, b, c, d, e, f, g, h, i)`);
  });

  it('keeps 64- and 128-bit integers exact: numbers up to 2^53, text beyond', async () => {
    await same(`SELECT * FROM (VALUES
      (9007199254740991::BIGINT, -9007199254740991::BIGINT, 9007199254740992::BIGINT, (-9223372036854775808)::BIGINT, 18446744073709551615::UBIGINT, 9007199254740991::UBIGINT,
       170141183460469231731687303715884105727::HUGEINT, 42::HUGEINT, 340282366920938463463374607431768211455::UHUGEINT, NULL::BIGINT),
      (0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
    ) AS t(a, b, c, d, e, f, g, h, i, j)`);
    await same(`SELECT count(*) AS n, sum(x) AS s, 7 // 2 AS d FROM range(10) t(x)`);
  });

  it('prints doubles, floats and decimals as the converter does, NaN and infinities as text', async () => {
    await same(`SELECT * FROM (VALUES
      (0.1::DOUBLE, 0.1::FLOAT, 1e21::DOUBLE, 1e20::DOUBLE, 1.5e-7::DOUBLE, -0.0::DOUBLE, 5.0::DOUBLE, 'nan'::DOUBLE, 'inf'::DOUBLE, '-inf'::FLOAT, 1.50::DECIMAL(4, 2), -0.05::DECIMAL(3, 2), 123456789012345.678::DECIMAL(18, 3)),
      (1/3, 3.4028235e38::FLOAT, 1.7976931348623157e308, 4.9e-324, 2.5, 1e-5, NULL, NULL, NULL, NULL, 12::DECIMAL(2, 0), NULL, NULL)
    ) AS t(a, b, c, d, e, f, g, h, i, j, k, l, m)`);
  });

  it('prints dates, times and timestamps as DuckDB does', async () => {
    await same(`SELECT DATE '2017-05-18' AS d, TIME '10:00:01.5' AS t, TIMESTAMP '2017-05-18 10:00:00' AS ts,
      TIMESTAMP '2017-05-18 10:00:00.123456' AS tsu, TIMESTAMPTZ '2017-05-18 10:00:00.5+02' AS tz, epoch_ms(1495101600000) AS ms,
      gen_random_uuid() IS NOT NULL AS has_uuid, '6ba7b810-9dad-11d1-80b4-00c04fd430c8'::UUID AS u, DATE '0044-03-15 (BC)' AS bc,
      DATE 'infinity' AS dinf, DATE '-infinity' AS dninf, '-infinity'::TIMESTAMP AS tinf, 'infinity'::TIMESTAMPTZ AS zinf, TIME '24:00:00' AS midnight`);
  });

  it('writes structs, lists, arrays and maps as objects and arrays, NULL inside and out', async () => {
    await same(`SELECT * FROM (VALUES
      ({'type': 'IAMUser', 'arn': NULL, 'n': 1::BIGINT, 'inner': {'deep': [1, 2], 'q"uote': 'x'}}, [{'ARN': 'a', 'type': NULL}, NULL], MAP {'k': 'v', 'a': NULL}, [1.5, NULL]::DOUBLE[2], MAP {1: [true]}),
      (NULL, [], MAP {}, NULL, NULL),
      ({'type': NULL, 'arn': NULL, 'n': NULL, 'inner': NULL}, NULL, NULL, [NULL, 2]::DOUBLE[2], MAP {2: []})
    ) AS t(s, l, m, a, im)`);
    await same(`SELECT row(1, 'x') AS unnamed, [[['a']]] AS nested, list_value() AS empty_list`);
  });

  it('names duplicate columns as @duckdb/node-api does, and keeps the order of an ORDER BY', async () => {
    const result = await engine.select(`SELECT 1 AS a, 2 AS a, 3 AS b, 4 AS a`);
    assert.deepEqual(result.columns, ['a', 'a:1', 'b', 'a:2']);
    assert.deepEqual(result.rows, [{ a: 1, 'a:1': 2, b: 3, 'a:2': 4 }]);
    const ordered = await engine.select(`SELECT x FROM range(300000) t(x) ORDER BY (x * 7919) % 300007`);
    const expected = [...Array(300000).keys()].sort((p, q) => ((p * 7919) % 300007) - ((q * 7919) % 300007));
    assert.deepEqual(
      ordered.rows.map((r) => r.x),
      expected,
    );
  });

  it('falls back to the converter for types it has no JSON text for', async () => {
    await same(
      `SELECT INTERVAL 90 MINUTE AS i, '\\xAA\\x00'::BLOB AS b, 12345678901234567.5::DECIMAL(20, 1) AS wide, union_value(n := 1) AS u`,
    );
    await same(
      `SELECT '2017-05-18 10:00:00'::TIMESTAMP_S AS s, '2017-05-18 10:00:00.123'::TIMESTAMP_MS AS ms, '2017-05-18 10:00:00.123456789'::TIMESTAMP_NS AS ns`,
    );
  });
});

describe('a result that fails after some of its rows were read', () => {
  // 400,000 rows of ~100 bytes: far more than DuckDB computes ahead of the reader, so the
  // error comes after the first chunks have reached the sink. The JSON path and the
  // converter path (an INTERVAL column) both stream.
  const failingLate = (extra = '') =>
    `SELECT i, CAST(CASE WHEN i = 350000 THEN 'x' ELSE '1' END AS INTEGER) AS v, repeat('y', 100) AS pad${extra} FROM range(400000) t(i)`;

  for (const [name, sql] of [
    ['as JSON text', failingLate()],
    ['through the converter', failingLate(', INTERVAL 1 DAY AS d')],
  ] as const) {
    it(`is an error with DuckDB's message, not a short answer (${name})`, async () => {
      let seen = 0;
      await assert.rejects(
        engine.selectInChunks(sql, sql, { columns: () => {}, rows: (chunk) => void (seen += chunk.rows.length) }),
        /Conversion Error: Could not convert string 'x' to INT32/,
      );
      assert.ok(seen > 0 && seen < 350000, `rows before the error: ${seen}`);
      await assert.rejects(engine.select(sql), /Conversion Error/);
    });
  }

  it('ends with "Interrupted!" when interrupted, without running the query again', async () => {
    const sql = `SELECT i, repeat('y', 100) AS pad FROM range(2000000) t(i)`;
    let seen = 0;
    await assert.rejects(
      engine.selectInChunks(sql, sql, {
        columns: () => {},
        rows: (chunk) => {
          if (seen === 0) engine.interrupt();
          seen += chunk.rows.length;
        },
      }),
      // A second run would have met no error and said so.
      /^Error: INTERRUPT Error: Interrupted!$/,
    );
    assert.ok(seen > 0 && seen < 2000000, `rows before the interruption: ${seen}`);
    // The engine answers the next statement.
    assert.equal((await engine.select(`SELECT count(*) AS n FROM range(2000000)`)).rows[0]!.n, 2000000);
  });

  it("counts the rows past a sink's `takes` without reading them, and still meets an error among them", async () => {
    const sql = failingLate().replace('i = 350000', 'i = -1');
    const taken: number[] = [];
    const result = await engine.selectInChunks(sql, sql, {
      takes: 3000,
      columns: () => {},
      rows: (chunk) => void taken.push(...chunk.rows.map((r) => r.i as number)),
    });
    assert.equal(result.rowCount, 400000);
    assert.deepEqual(taken, [...Array(3000).keys()]);
    await assert.rejects(
      engine.selectInChunks(failingLate(), failingLate(), { takes: 10, columns: () => {}, rows: () => {} }),
      /Conversion Error/,
    );
  });

  it('still gives every row of a result that does not fail', async () => {
    const sql = failingLate().replace('i = 350000', 'i = -1');
    let seen = 0;
    await engine.selectInChunks(sql, sql, { columns: () => {}, rows: (chunk) => void (seen += chunk.rows.length) });
    assert.equal(seen, 400000);
  });
});

describe('CSV and JSON lines made by DuckDB (a sink with lines)', () => {
  /**
   * The text of `sql` in `format` through the sink (its lines, and the rows it is given instead,
   * in order), and through rows only as the CLI formats them; whether lines came, and how many rows.
   */
  async function both(sql: string, format: LineFormat): Promise<{ lines: string; rows: string; used: boolean; rowCalls: number }> {
    let text = '';
    let used = false;
    let rowCalls = 0;
    await engine.selectInChunks(sql, sql, {
      columns: () => {},
      rows: (chunk) => {
        rowCalls += chunk.rows.length;
        text += formatRows(chunk, format, 0);
      },
      lines: {
        format,
        write: (chunk) => {
          used = true;
          text += chunk.join('');
        },
      },
    });
    return { lines: text, rows: formatRows(await engine.select(sql), format, 0), used, rowCalls };
  }

  async function sameText(sql: string, lines = true): Promise<void> {
    for (const format of ['csv', 'jsonl'] as const) {
      const r = await both(sql, format);
      assert.equal(r.used, lines, `${format}: ${lines ? 'lines' : 'rows'} for ${sql}`);
      assert.equal(r.lines, r.rows, `${format}: ${sql}`);
    }
  }

  it('writes text, integers and booleans as the CLI writes their values, quoting only what must be', async () => {
    await sameText(`SELECT * FROM (VALUES
      ('plain', 'with "quotes"', 'a,b', 'line' || chr(10) || 'break', 'cr' || chr(13), '', NULL::VARCHAR, 'ünï ✓ 🙂 ' || chr(1) || chr(11) || chr(31), 'back\\slash \\u000B'),
      (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
    ) AS t(a, b, c, d, e, f, g, h, i)`);
    await sameText(`SELECT * FROM (VALUES
      (true, 1::TINYINT, -2::SMALLINT, 3::INTEGER, 9007199254740991::BIGINT, 9007199254740992::BIGINT, (-9223372036854775808)::BIGINT,
       18446744073709551615::UBIGINT, 170141183460469231731687303715884105727::HUGEINT, 255::UTINYINT, 4294967295::UINTEGER,
       'b5a7ecf4-3d9e-4a36-9b6b-6e2f7f6f2a1c'::UUID, 'x'::ENUM('x', 'y,z')),
      (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'y,z'::ENUM('x', 'y,z'))
    ) AS t(a, b, c, d, e, f, g, h, i, j, k, l, m)`);
    await sameText(`SELECT NULL AS nothing, 'x' AS x, 'a' AS "we""ird, name", 'b' AS "ünï"`);
    assert.equal(
      (await both(`SELECT '' AS empty, NULL::VARCHAR AS nothing, 'x' AS x`, 'csv')).lines,
      '"",,x\n',
      'an empty string is "", NULL nothing',
    );
    // DuckDB's JSON type: the converter has its text, as a string, at the top and inside a struct.
    await sameText(`SELECT json_extract('{"a": [1, "x"]}', '$.a') AS j, {'k': json_extract('{"a": [1, "x"]}', '$.a'), 'n': 1} AS s`);
  });

  it('writes structs, lists and maps as JSON.stringify does; a row whose text DuckDB might write otherwise is written from its values, in its place', async () => {
    // Rows 2, 4 and 6 have a control character, an integer beyond 2^53, a non-empty map.
    const sql = `SELECT * FROM (VALUES
      (1, {'type': 'AssumedRole', 'arn': 'arn:aws:sts::1:x', 'n': 5, 'big': 1::BIGINT, 'none': NULL::VARCHAR, 'inner': {'a': ['x', NULL, 'y"z'], 'lit': 'back\\slash "q", ünï'}},
        [{'t': 'AWS::S3::Bucket', 'arn': NULL}, NULL], []::VARCHAR[], [1, 2, 3], NULL::MAP(VARCHAR, VARCHAR)),
      (2, {'type': 'x', 'arn': NULL, 'n': NULL, 'big': NULL, 'none': 'y', 'inner': {'a': [], 'lit': chr(11) || chr(14) || chr(15) || chr(26) || chr(31) || chr(0) || chr(8) || chr(9) || chr(127)}},
        NULL, ['a'], [], MAP {}),
      (3, NULL, [], NULL, NULL, NULL),
      (4, {'type': 'x', 'arn': NULL, 'n': NULL, 'big': 9007199254740993::BIGINT, 'none': NULL, 'inner': NULL}, NULL, NULL, NULL, NULL),
      (5, {'type': 'x', 'arn': NULL, 'n': NULL, 'big': NULL, 'none': NULL, 'inner': {'a': NULL, 'lit': 'text \\u000B, not an escape'}}, NULL, NULL, NULL, NULL),
      (6, NULL, NULL, NULL, NULL, MAP {'b': '1', 'a': '2', '2': '3', '1': '4', '10': '5', '01': '6', '4294967295': '7', '4294967294': '8', '-1': '9'}),
      (7, NULL, NULL, NULL, NULL, NULL)
    ) AS t(id, s, l, vs, ints, m) ORDER BY id`;
    for (const format of ['csv', 'jsonl'] as const) {
      const r = await both(sql, format);
      assert.equal(r.lines, r.rows, format);
      assert.equal(r.used, true, format);
      assert.equal(r.rowCalls, 0, `${format}: rows 2, 4, 5 (a backslash before u00) and 6 written from their values, as lines too`);
    }
    await sameText(`SELECT [9007199254740993, 1]::BIGINT[] AS bigs, MAP {3: 'c', 1: 'a', -2: 'minus'} AS im`);
  });

  it('leaves to rows the types whose text would differ, and DuckDB errors as errors', async () => {
    for (const sql of [
      `SELECT 1.5::DOUBLE AS d`,
      `SELECT 12.50::DECIMAL(10, 2) AS d`,
      `SELECT DATE '2024-03-18' AS d`,
      `SELECT TIMESTAMP '2024-03-18 10:00:00' AS t`,
      `SELECT INTERVAL 90 MINUTE AS i`,
      `SELECT {'1': 'index-like field'} AS s`,
      `SELECT {'x': 1.5::DOUBLE} AS s`,
      `SELECT MAP {1.5::DOUBLE: 'x'} AS m`,
    ])
      await sameText(sql, false);
    // JavaScript lists an integer-like member first: JSON lines keep to rows, CSV has no names in its lines.
    const indexLike = await both(`SELECT 'a' AS x, 'b' AS "1"`, 'jsonl');
    assert.equal(indexLike.used, false);
    assert.equal(indexLike.lines, indexLike.rows);
    assert.equal((await both(`SELECT 'a' AS x, 'b' AS "1"`, 'csv')).used, true);
    await assert.rejects(
      both(`SELECT i, CAST(CASE WHEN i = 350000 THEN 'x' ELSE '1' END AS INTEGER) AS v FROM range(400000) t(i)`, 'csv'),
      /Conversion Error/,
    );
  });

  it('keeps the order of an ORDER BY and writes every row of a large result', async () => {
    await sameText(`SELECT x, 'row ' || x AS label FROM range(300000) t(x) ORDER BY (x * 7919) % 300007`);
  });
});
