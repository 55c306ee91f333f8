/**
 * Athena's catalog statements, answered from the lake. `CREATE EXTERNAL TABLE` registers a
 * name for the part of the lake its LOCATION names (and says how to ingest that location when
 * the lake does not have it yet); partitions need no maintenance, because the lake's files
 * carry their partition values, so `ALTER TABLE ... ADD PARTITION` and `MSCK REPAIR TABLE`
 * only say so; `SHOW TABLES`, `DESCRIBE` and `SHOW PARTITIONS` list what is there.
 */
import type { Engine, QueryResult } from '../engine/duckdb-engine.js';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { athenaType, CLOUDTRAIL_COLUMNS, LOG_FILE_COLUMN, PARTITION_COLUMNS, RAW_COLUMN } from '../cloudtrail/athena-table.js';
import { partitionKey } from '../lake/snapshot.js';
import type { AthenaStatement, TableName } from './athena-statement.js';
import { describeScope, inScope, parseCloudTrailLocation, type LakeScope } from './cloudtrail-location.js';
import { HIDDEN_COLUMNS, PARTITION_COLUMN_ORDER, scanSql } from './lake-scan.js';
import type { ScannedFile } from './query-stats.js';
import { sqlError } from './sql-error.js';
import { DEFAULT_SCHEMA, qualifiedName, type LakeTable, type TableCatalog } from './table-catalog.js';

export interface CatalogContext {
  readonly catalog: TableCatalog;
  readonly files: () => Promise<ScannedFile[]>;
  readonly engine: Engine;
  readonly lakeDir: string;
  readonly script: string;
  /** Where the statement starts in the script. */
  readonly offset: number;
}

export interface CatalogOutcome {
  readonly result?: QueryResult;
  readonly message?: string;
}

const CLOUDTRAIL_SERDE = 'com.amazon.emr.hive.serde.CloudTrailSerde';

const count = (n: number, what: string) => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;

function table(ctx: CatalogContext, name: TableName): LakeTable {
  const found = ctx.catalog.resolve(name.schema, name.name);
  if (found) return found;
  const written = name.schema ? `${name.schema}.${name.name}` : name.name;
  const names = ctx.catalog.tables().map(qualifiedName).join(', ');
  throw sqlError('not-found', `table ${written} does not exist (tables: ${names})`, ctx.script, ctx.offset + name.at);
}

function inLake(files: readonly ScannedFile[], scope: LakeScope): { partitions: number; events: number } {
  const kept = files.filter((f) => inScope(scope, f.partition));
  return { partitions: new Set(kept.map((f) => partitionKey(f.partition))).size, events: kept.reduce((n, f) => n + f.rows, 0) };
}

function ingestHint(ctx: CatalogContext, location: string): string {
  return `to add it: trailscope ingest ${location} --lake ${ctx.lakeDir}`;
}

function result(columns: string[], rows: Array<Record<string, string>>): QueryResult {
  return { columns, types: columns.map(() => 'VARCHAR'), rows };
}

const SCALAR_TYPES: Record<string, string> = { VARCHAR: 'string', INTEGER: 'int', BIGINT: 'bigint', DOUBLE: 'double', BOOLEAN: 'boolean' };

/** A DuckDB type in the words of Athena's DESCRIBE: `STRUCT("type" VARCHAR)[]` is `array<struct<type:string>>`. */
export function hiveType(duckdb: string): string {
  let i = 0;
  const text = duckdb.trim();
  const name = (): string => {
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      const out = text.slice(i + 1, end);
      i = end + 1;
      return out;
    }
    const m = /^[^\s(),]+/.exec(text.slice(i))!;
    i += m[0].length;
    return m[0];
  };
  const space = () => {
    while (text[i] === ' ') i++;
  };
  const type = (): string => {
    space();
    const word = /^[A-Z ]+?(?=\(|\[|,|\)|$)/.exec(text.slice(i))?.[0]?.trim() ?? name();
    i += text.slice(i).indexOf(word) + word.length;
    let out: string;
    if ((word === 'STRUCT' || word === 'MAP') && text[i] === '(') {
      i++;
      const parts: string[] = [];
      while (text[i] !== ')') {
        space();
        if (word === 'STRUCT') {
          const field = name();
          parts.push(`${field}:${type()}`);
        } else parts.push(type());
        space();
        if (text[i] === ',') i++;
      }
      i++;
      out = word === 'STRUCT' ? `struct<${parts.join(',')}>` : `map<${parts.join(',')}>`;
    } else out = SCALAR_TYPES[word] ?? word.toLowerCase();
    while (text.startsWith('[]', i)) {
      out = `array<${out}>`;
      i += 2;
    }
    return out;
  };
  return type();
}

export async function runCatalogStatement(
  statement: Exclude<AthenaStatement, { kind: 'query' | 'explain' }>,
  ctx: CatalogContext,
): Promise<CatalogOutcome> {
  switch (statement.kind) {
    case 'create-table': {
      const { table: name } = statement;
      if (!statement.location) {
        throw sqlError(
          'syntax',
          `CREATE EXTERNAL TABLE needs a LOCATION: the s3:// prefix of the trail's logs (…/AWSLogs/<account>/CloudTrail/…)`,
          ctx.script,
          ctx.offset + name.at,
        );
      }
      const location = parseCloudTrailLocation(statement.location);
      const cloudTrailSerde = statement.serde?.toLowerCase() === CLOUDTRAIL_SERDE.toLowerCase();
      if (!location && !cloudTrailSerde) {
        throw sqlError(
          'unsupported',
          `only CloudTrail tables can be registered: ${statement.location} is not a CloudTrail prefix (s3://<bucket>/AWSLogs/<account>/CloudTrail/…) and the table does not use ROW FORMAT SERDE '${CLOUDTRAIL_SERDE}'`,
          ctx.script,
          ctx.offset + name.at,
        );
      }
      const written = name.schema ? `${name.schema}.${name.name}` : name.name;
      if (statement.ifNotExists && ctx.catalog.isRegistered(name.schema, name.name))
        return { message: `${written} already exists; nothing changed` };
      const projected = projectedDay(statement.partitionedBy, statement.properties);
      const scope: LakeScope = { ...(location ?? {}), ...projected.days };
      delete (scope as { uri?: string }).uri;
      const replaced = ctx.catalog.isRegistered(name.schema, name.name);
      const registered = await ctx.catalog.register({
        ...(name.schema ? { schema: name.schema } : {}),
        name: name.name,
        shape: { kind: 'logs', ...(projected.column ? { dayColumn: projected.column } : {}) },
        scope,
        location: statement.location,
      });
      const known = new Set([...CLOUDTRAIL_COLUMNS.map((c) => c.name), RAW_COLUMN]);
      const unknown = [...statement.columns.filter((c) => !known.has(c.toLowerCase())), ...projected.unknown];
      const left = unknown.length
        ? ` Not in CloudTrail's table, so not available: ${unknown.join(', ')} (it has ${PARTITION_COLUMNS.join(', ')} as partitions).`
        : '';
      const have = inLake(await ctx.files(), scope);
      const what = describeScope(scope);
      const verb = replaced ? 'replaced' : 'registered';
      const head = `${verb} ${qualifiedName(registered)}: ${what === 'the whole lake' ? what : `${what} of the lake`}`;
      const day = projected.column ? ` Its partition ${projected.column.name} is the day of each event's partition.` : '';
      if (have.events === 0)
        return { message: `${head}. The lake has no events of ${what} yet; ${ingestHint(ctx, statement.location)}${day}${left}` };
      return {
        message: `${head} (${count(have.partitions, 'partition')}, ${count(have.events, 'event')}). Partitions are found automatically: no ALTER TABLE ADD PARTITION or MSCK REPAIR TABLE needed.${day}${left}`,
      };
    }
    case 'add-partition': {
      const t = table(ctx, statement.table);
      const files = await ctx.files();
      const scope = t.scope as Readonly<Record<string, string | undefined>>;
      const outside = statement.partitions.find((p) => Object.entries(p).some(([k, v]) => (scope[k] ?? v) !== v));
      if (outside) {
        const where = Object.entries(outside)
          .map(([k, v]) => `${k}=${v}`)
          .join('/');
        throw sqlError(
          'unsupported',
          `${qualifiedName(t)} reads ${describeScope(t.scope)} (its LOCATION), so ${where} cannot be added to it: create the table again with a LOCATION that holds both (e.g. .../CloudTrail/<region>/)`,
          ctx.script,
          ctx.offset + statement.table.at,
        );
      }
      const parts = statement.partitions.map((p) => {
        const scope: LakeScope = { ...t.scope, ...p };
        const have = inLake(files, scope);
        const where = Object.entries(p)
          .map(([k, v]) => `${k}=${v}`)
          .join('/');
        return have.events ? `${where} (${count(have.events, 'event')})` : `${where} (no events yet)`;
      });
      return { message: `partitions are found automatically: ${qualifiedName(t)} already reads ${parts.join(', ')}; nothing to add` };
    }
    case 'repair-table': {
      const t = table(ctx, statement.table);
      const have = inLake(await ctx.files(), t.scope);
      return {
        message: `nothing to repair: partitions are found automatically (${qualifiedName(t)} reads ${count(have.partitions, 'partition')} today)`,
      };
    }
    case 'drop-table': {
      const { table: name } = statement;
      if (ctx.catalog.isRegistered(name.schema, name.name)) {
        await ctx.catalog.drop(name.schema, name.name);
        return { message: `dropped ${name.schema ? `${name.schema}.` : ''}${name.name}; the lake's data is untouched` };
      }
      const builtIn = ctx.catalog.resolve(name.schema, name.name);
      if (builtIn) {
        throw sqlError(
          'forbidden',
          `${qualifiedName(builtIn)} is the lake itself and cannot be dropped (only names registered with CREATE EXTERNAL TABLE can)`,
          ctx.script,
          ctx.offset + name.at,
        );
      }
      if (statement.ifExists) return { message: `${name.name} does not exist; nothing changed` };
      table(ctx, name);
      return {};
    }
    case 'show-tables': {
      const schema = statement.schema?.toLowerCase();
      const like = likePattern(statement.like);
      const rows = ctx.catalog
        .tables()
        .filter((t) => (schema ? t.schema === (schema === 'main' ? DEFAULT_SCHEMA : schema) : true))
        .map((t) => (schema ? t.name : qualifiedName(t)))
        .filter((n) => !like || like.test(n))
        .sort()
        .map((tab_name) => ({ tab_name }));
      return { result: result(['tab_name'], rows) };
    }
    case 'create-database':
      // A database is a name tables are registered under; it exists once a table does.
      return {
        message: `database ${statement.name.toLowerCase()} needs no creating here: CREATE EXTERNAL TABLE ${statement.name.toLowerCase()}.<table> ... registers a table in it`,
      };
    case 'show-databases': {
      const like = likePattern(statement.like);
      const rows = [...new Set(ctx.catalog.tables().map((t) => t.schema))]
        .filter((n) => !like || like.test(n))
        .sort()
        .map((database_name) => ({ database_name }));
      return { result: result(['database_name'], rows) };
    }
    case 'show-create-table': {
      const t = table(ctx, statement.table);
      if (t.shape.kind !== 'logs') {
        throw sqlError(
          'unsupported',
          `${qualifiedName(t)} is a view of cloudtrail_logs made by trailscope; SHOW CREATE TABLE cloudtrail_logs gives the table's DDL`,
          ctx.script,
          ctx.offset + statement.table.at,
        );
      }
      const lines = athenaDdl(t.name, await ctx.files(), ctx.lakeDir).split('\n');
      return {
        result: result(
          ['createtab_stmt'],
          lines.map((createtab_stmt) => ({ createtab_stmt })),
        ),
      };
    }
    case 'describe': {
      const t = table(ctx, statement.table);
      const files = (await ctx.files()).filter((f) => inScope(t.scope, f.partition)).slice(0, 1);
      const described = await ctx.engine.query(`DESCRIBE ${scanSql(t, files)}`);
      const partitions = new Set<string>(PARTITION_COLUMN_ORDER);
      const rows = described.rows.map((r) => {
        const name = String(r.column_name);
        const comment = partitions.has(name)
          ? 'partition'
          : name === HIDDEN_COLUMNS[0]
            ? 'the log file of the row (not in SELECT *)'
            : name === HIDDEN_COLUMNS[1]
              ? 'the whole original record (not in SELECT *)'
              : '';
        return { col_name: name, data_type: hiveType(String(r.column_type)), comment };
      });
      return { result: result(['col_name', 'data_type', 'comment'], rows) };
    }
    case 'show-partitions': {
      const t = table(ctx, statement.table);
      const keys = new Set(
        (await ctx.files())
          .filter((f) => inScope(t.scope, f.partition))
          .map((f) => PARTITION_COLUMN_ORDER.map((p) => `${p}=${f.partition[p]}`).join('/')),
      );
      return {
        result: result(
          ['partition'],
          [...keys].sort().map((partition) => ({ partition })),
        ),
      };
    }
  }
}

/** Athena's `LIKE` of SHOW statements: `*` any text, `|` either side, case-insensitive. */
function likePattern(like: string | undefined): RegExp | undefined {
  return like ? new RegExp(`^(?:${like.replace(/[.+?^${}()[\]\\]/g, '\\$&').replaceAll('*', '.*')})$`, 'i') : undefined;
}

/**
 * Athena's DDL for the lake's Parquet files, so the same lake and SQL run on Athena or Trino:
 * every column of `cloudtrail_logs` (`logfile` is what trailscope calls "$path"), partitioned as
 * the folders are, with partition projection over the accounts and regions the lake holds
 * (no MSCK REPAIR TABLE after each ingest). Its LOCATION is the lake's data folder; once
 * copied to S3 (`aws s3 sync <lake>/data s3://bucket/prefix/`), both locations name the bucket.
 */
function athenaDdl(name: string, files: readonly ScannedFile[], lakeDir: string): string {
  const location = pathToFileURL(join(resolve(lakeDir), 'data')).href;
  const values = (column: 'account' | 'region') => [...new Set(files.map((f) => f.partition[column]))].sort().join(',');
  const columns = [
    ...CLOUDTRAIL_COLUMNS.map((c) => [c.name, athenaType(c.type)] as const),
    [RAW_COLUMN, 'string'],
    [LOG_FILE_COLUMN, 'string'],
  ];
  return [
    `CREATE EXTERNAL TABLE \`${name}\`(`,
    columns.map(([column, type]) => `  \`${column}\` ${type}`).join(',\n') + ')',
    'PARTITIONED BY (',
    PARTITION_COLUMNS.map((p) => `  \`${p}\` string`).join(',\n') + ')',
    'STORED AS PARQUET',
    'LOCATION',
    `  '${location}/'`,
    'TBLPROPERTIES (',
    "  'projection.enabled'='true',",
    `  'projection.account.type'='enum',`,
    `  'projection.account.values'='${values('account')}',`,
    `  'projection.region.type'='enum',`,
    `  'projection.region.values'='${values('region')}',`,
    "  'projection.year.type'='integer',",
    "  'projection.year.range'='2013,2099',",
    "  'projection.month.type'='integer',",
    "  'projection.month.range'='1,12',",
    "  'projection.month.digits'='2',",
    "  'projection.day.type'='integer',",
    "  'projection.day.range'='1,31',",
    "  'projection.day.digits'='2',",
    `  'storage.location.template'='${location}/account=\${account}/region=\${region}/year=\${year}/month=\${month}/day=\${day}/')`,
  ].join('\n');
}

/**
 * What a DDL's partition columns that are not the lake's mean here. The AWS guide's CloudTrail
 * table partitions by a projected date, `timestamp` of `yyyy/MM/dd` with a range
 * (`'projection.timestamp.range'='2024/01/01,NOW'`): that column is made from each event's
 * day partition, and the range limits the days the table reads. Others are not available.
 */
function projectedDay(
  partitionedBy: readonly string[],
  properties: Readonly<Record<string, string>>,
): { column?: { name: string; separator: string }; days: Pick<LakeScope, 'since' | 'until'>; unknown: string[] } {
  const ours = new Set<string>(PARTITION_COLUMNS);
  const unknown: string[] = [];
  let column: { name: string; separator: string } | undefined;
  let days: Pick<LakeScope, 'since' | 'until'> = {};
  for (const name of partitionedBy.filter((p) => !ours.has(p.toLowerCase()))) {
    const key = `projection.${name.toLowerCase()}`;
    const format = /^yyyy([^\w]?)MM\1dd$/.exec(properties[`${key}.format`] ?? '');
    if (column || properties[`${key}.type`]?.toLowerCase() !== 'date' || !format) {
      unknown.push(name);
      continue;
    }
    const separator = format[1]!;
    column = { name: name.toLowerCase(), separator };
    // A range end is a day in the format, or relative (NOW, NOW-3YEARS): the latter bounds nothing.
    const day = (text = '') => {
      const m = /^(\d{4})\D?(\d{2})\D?(\d{2})$/.exec(text.trim());
      return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
    };
    const [from, to] = (properties[`${key}.range`] ?? '').split(',');
    const since = day(from);
    const until = day(to);
    days = { ...(since ? { since } : {}), ...(until ? { until } : {}) };
  }
  return { ...(column ? { column } : {}), days, unknown };
}
