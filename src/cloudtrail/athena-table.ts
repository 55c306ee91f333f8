/**
 * The columns of Athena's CloudTrail table, in one place: the lake's Parquet schema, the
 * DuckDB types, the Athena DDL and the flattened (relationalized) column names all derive
 * from `CLOUDTRAIL_COLUMNS`, so they cannot drift apart.
 *
 * Names are lower-case as Athena has them; `field` is the record's own key. JSON-valued
 * fields (`json`) hold the record's JSON text; `readonly` is the string 'true'/'false' as
 * the CloudTrailSerde gives it.
 */

export type ColumnType =
  | { readonly kind: 'string' }
  | { readonly kind: 'json' }
  | { readonly kind: 'map' }
  | { readonly kind: 'struct'; readonly fields: readonly Column[] }
  | { readonly kind: 'array'; readonly element: { readonly kind: 'struct'; readonly fields: readonly Column[] } };

export interface Column {
  /** Athena's lower-case name. */
  readonly name: string;
  /** The key in a CloudTrail record. */
  readonly field: string;
  readonly type: ColumnType;
}

const string = { kind: 'string' } as const;
const json = { kind: 'json' } as const;
const col = (field: string, type: ColumnType = string): Column => ({ name: field.toLowerCase(), field, type });
const struct = (...fields: Column[]): ColumnType => ({ kind: 'struct', fields });

const SESSION_ISSUER = struct(col('type'), col('principalId'), col('arn'), col('accountId'), col('userName'));

export const CLOUDTRAIL_COLUMNS: readonly Column[] = [
  col('eventVersion'),
  col(
    'userIdentity',
    struct(
      col('type'),
      col('principalId'),
      col('arn'),
      col('accountId'),
      col('invokedBy'),
      col('accessKeyId'),
      col('userName'),
      col('onBehalfOf', struct(col('userId'), col('identityStoreArn'))),
      col(
        'sessionContext',
        struct(
          col('attributes', struct(col('mfaAuthenticated'), col('creationDate'))),
          col('sessionIssuer', SESSION_ISSUER),
          col('ec2RoleDelivery'),
          col('sourceIdentity'),
          col('webIdFederationData', struct(col('federatedProvider'), col('attributes', { kind: 'map' }))),
        ),
      ),
    ),
  ),
  col('eventTime'),
  col('eventSource'),
  col('eventName'),
  col('awsRegion'),
  col('sourceIPAddress'),
  col('userAgent'),
  col('errorCode'),
  col('errorMessage'),
  col('requestParameters', json),
  col('responseElements', json),
  col('additionalEventData', json),
  col('requestID'),
  col('eventID'),
  col('resources', { kind: 'array', element: { kind: 'struct', fields: [col('ARN'), col('accountId'), col('type')] } }),
  col('eventType'),
  col('apiVersion'),
  col('readOnly'),
  col('recipientAccountId'),
  col('serviceEventDetails', json),
  col('sharedEventID'),
  col('vpcEndpointId'),
  col('vpcEndpointAccountId'),
  col('eventCategory'),
  col('addendum', struct(col('reason'), col('updatedFields'), col('originalRequestID'), col('originalEventID'))),
  col('sessionCredentialFromConsole'),
  col('edgeDeviceDetails', json),
  col('tlsDetails', struct(col('tlsVersion'), col('cipherSuite'), col('clientProvidedHostHeader'))),
  // Documented CloudTrail fields that Athena's sample DDL leaves out.
  col('managementEvent'),
  col('insightDetails', json),
];

/** Partition columns, in the order of the lake's folders. Strings, as Athena has them. */
export const PARTITION_COLUMNS = ['account', 'region', 'year', 'month', 'day'] as const;
export type PartitionColumn = (typeof PARTITION_COLUMNS)[number];

/** Columns the lake adds: the whole original record, and the log file it came from. */
export const RAW_COLUMN = 'raw';
export const LOG_FILE_COLUMN = 'logfile';

function duckdbType(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
    case 'json':
      return 'VARCHAR';
    case 'map':
      return 'MAP(VARCHAR, VARCHAR)';
    case 'struct':
      return `STRUCT(${type.fields.map((f) => `"${f.name}" ${duckdbType(f.type)}`).join(', ')})`;
    case 'array':
      return `${duckdbType(type.element)}[]`;
  }
}

/** A column type as Athena's DDL writes it: `struct<type:string,arn:string>`, `array<struct<...>>`. */
export function athenaType(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
    case 'json':
      return 'string';
    case 'map':
      return 'map<string,string>';
    case 'struct':
      return `struct<${type.fields.map((f) => `${f.name}:${athenaType(f.type)}`).join(',')}>`;
    case 'array':
      return `array<${athenaType(type.element)}>`;
  }
}

/** `name TYPE` pairs for the columns stored in each Parquet file (partition columns live in the path). */
export function lakeFileColumns(): ReadonlyArray<readonly [string, string]> {
  return [...CLOUDTRAIL_COLUMNS.map((c) => [c.name, duckdbType(c.type)] as const), [RAW_COLUMN, 'VARCHAR'], [LOG_FILE_COLUMN, 'VARCHAR']];
}

/** Every column of a lake row: the file columns, then the partition columns. */
function lakeRowColumns(): ReadonlyArray<readonly [string, string]> {
  return [...lakeFileColumns(), ...PARTITION_COLUMNS.map((p) => [p, 'VARCHAR'] as const)];
}

/** A SELECT of no rows with every lake-row column typed: the table of an empty lake or batch. */
export function emptyLakeRowsSql(): string {
  return `SELECT ${lakeRowColumns()
    .map(([name, type]) => `CAST(NULL AS ${type}) AS "${name}"`)
    .join(', ')} WHERE false`;
}

/** A leaf of the column tree: a column, or a member of a struct column, that is not a struct. */
export interface ColumnLeaf {
  /** Dotted as Glue's relationalize names it: `useridentity.sessioncontext.sessionissuer.username`. */
  readonly name: string;
  /** The lower-case names from the top-level column down, for the SQL that reaches it. */
  readonly path: string[];
  readonly type: Exclude<ColumnType, { kind: 'struct' }>;
}

/** Every leaf below the columns, in column order. */
export function structLeaves(): ColumnLeaf[] {
  const out: ColumnLeaf[] = [];
  const walk = (c: Column, path: string[]) => {
    const here = [...path, c.name];
    if (c.type.kind === 'struct') for (const f of c.type.fields) walk(f, here);
    else out.push({ name: here.join('.'), path: here, type: c.type });
  };
  for (const c of CLOUDTRAIL_COLUMNS) walk(c, []);
  return out;
}

/** A SQL string literal (the domain's SQL builders may not reach the engine's helpers). */
export function sqlLiteral(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
