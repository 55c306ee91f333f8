/**
 * Child: picks the values the bench queries ask about (a principal with console sign-ins,
 * a Route 53 record name created, a bucket) from the generated data, by reading the lake's
 * Parquet files with plain DuckDB. Any choice would do; these are the most frequent, so
 * every run of the same data asks the same questions, and the questions have answers.
 */
import { join } from 'node:path';
import { Engine, sqlString } from '../../src/engine/duckdb-engine.js';
import { childMain } from './child-main.js';

export interface DiscoverRequest {
  readonly lake: string;
}

export interface DiscoverValue {
  readonly principalArn: string | null;
  readonly route53Name: string | null;
  readonly bucketName: string | null;
}

const CHANGE = '$.changeBatch.changes[0]';

childMain<DiscoverRequest, DiscoverValue>(async (r) => {
  const engine = await Engine.create();
  try {
    await engine.run(
      `CREATE VIEW lake AS SELECT * FROM read_parquet(${sqlString(join(r.lake, 'data', '**', '*.parquet'))}, hive_partitioning = false, union_by_name = true)`,
    );
    const first = async (sql: string): Promise<string | null> => {
      const row = (await engine.query(sql)).rows[0];
      return row && typeof row.v === 'string' ? row.v : null;
    };
    return {
      principalArn: await first(
        `SELECT useridentity.arn AS v FROM lake WHERE eventname = 'ConsoleLogin' AND useridentity.arn IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
      ),
      route53Name: await first(
        `SELECT json_extract_string(requestparameters, '${CHANGE}.resourceRecordSet.name') AS v FROM lake
         WHERE eventsource = 'route53.amazonaws.com' AND eventname = 'ChangeResourceRecordSets'
           AND json_extract_string(requestparameters, '${CHANGE}.action') = 'CREATE' AND v IS NOT NULL
         GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
      ),
      bucketName: await first(
        `SELECT json_extract_string(requestparameters, '$.bucketName') AS v FROM lake WHERE v IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
      ),
    };
  } finally {
    engine.close();
  }
});
