/**
 * S3 (bucket configuration and object data events), DynamoDB, RDS, Glue and Athena calls.
 *
 * S3 records carry `Host`, `x-amz-id-2` and byte counts in additionalEventData, and data events
 * list the object and bucket in `resources` — the shape exfiltration queries rely on.
 */
import { defineCalls, request, type ApiCall, type CallContext, type CallShape } from './api-call.js';
import { bucketHost, dayOf, hostId, objectKey, tableArn } from './resource-names.js';
import type { Bucket } from '../inventory.js';
import { quote } from '../record-writer.js';

/** The bucket the caller works on; the player picks it (and its region) before the call is shaped. */
function bucketOf(c: CallContext): Bucket {
  return c.bucket ?? c.rng.pick(c.inventory.buckets);
}

function s3Extra(c: CallContext, bytesIn: number, bytesOut: number): string {
  return `{"SignatureVersion":"SigV4","CipherSuite":"TLS_AES_128_GCM_SHA256","bytesTransferredIn":${bytesIn},"AuthenticationMethod":"AuthHeader","x-amz-id-2":"${hostId(c.rng)}","bytesTransferredOut":${bytesOut}}`;
}

const bucketResource = (c: CallContext, b: Bucket): string =>
  `{"accountId":"${c.account.id}","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::${b.name}"}`;

/** A bucket-configuration call: `{"bucketName":..,"Host":..,"<subresource>":""}`. */
function bucketConfig(subresource: string | undefined) {
  return (c: CallContext): CallShape => {
    const b = bucketOf(c);
    const host = bucketHost(b);
    return {
      request: `{"bucketName":"${b.name}","Host":"${host}"${subresource ? `,"${subresource}":""` : ''}}`,
      additionalEventData: s3Extra(c, 0, 0),
      resources: `[${bucketResource(c, b)}]`,
      host,
    };
  };
}

/** Bucket policies as teams write them: the first statement denies plain HTTP to everyone. */
function normalBucketPolicy(c: CallContext, b: Bucket): string {
  const deny = `{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::${b.name}","arn:aws:s3:::${b.name}/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}`;
  const other = c.org.accounts.find((a) => a.id !== c.account.id)?.id ?? c.account.id;
  const allow = c.rng.chance(0.5)
    ? `{"Sid":"AllowAnalyticsRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${other}:root"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::${b.name}","arn:aws:s3:::${b.name}/*"]}`
    : `{"Sid":"AllowCloudFrontServicePrincipal","Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::${b.name}/*","Condition":{"StringEquals":{"AWS:SourceArn":"arn:aws:cloudfront::${c.account.id}:distribution/E${c.rng.upperAlnum(13)}"}}}`;
  return `{"Version":"2012-10-17","Statement":[${deny},${allow}]}`;
}

/** PutBucketPolicy as S3 logs it: the policy document as an object under `bucketPolicy`. */
export function putBucketPolicyShape(c: CallContext, b: Bucket, policy: string): CallShape {
  const host = bucketHost(b);
  return {
    request: `{"bucketPolicy":${policy},"bucketName":"${b.name}","Host":"${host}","policy":""}`,
    additionalEventData: s3Extra(c, policy.length, 0),
    resources: `[${bucketResource(c, b)}]`,
    host,
  };
}

/** GetObject as an S3 data event, with the object and its bucket in `resources`. */
export function getObjectShape(c: CallContext, b: Bucket, key: string, bytes: number): CallShape {
  const host = bucketHost(b);
  return {
    request: `{"bucketName":"${b.name}","Host":"${host}","key":${quote(key)}}`,
    response: 'null',
    additionalEventData: s3Extra(c, 0, bytes),
    resources: `[{"type":"AWS::S3::Object","ARN":${quote(`arn:aws:s3:::${b.name}/${key}`)}},${bucketResource(c, b)}]`,
    host,
  };
}

function putObject(c: CallContext): CallShape {
  const b = bucketOf(c);
  const key = objectKey(b, c.time, c.rng);
  const host = bucketHost(b);
  const sse = b.kmsKeyArn
    ? `{"x-amz-server-side-encryption-aws-kms-key-id":"${b.kmsKeyArn}","x-amz-server-side-encryption":"aws:kms","x-amz-server-side-encryption-bucket-key-enabled":"true"}`
    : '{"x-amz-server-side-encryption":"AES256"}';
  return {
    request: `{"bucketName":"${b.name}","Host":"${host}","key":${quote(key)}}`,
    response: sse,
    additionalEventData: s3Extra(c, c.rng.between(800, 9_000_000), 0),
    resources: `[{"type":"AWS::S3::Object","ARN":${quote(`arn:aws:s3:::${b.name}/${key}`)}},${bucketResource(c, b)}]`,
    host,
  };
}

function listObjects(c: CallContext): CallShape {
  const b = bucketOf(c);
  const host = bucketHost(b);
  const prefix = objectKey(b, c.time, c.rng).split('/').slice(0, 2).join('/') + '/';
  return {
    request: `{"bucketName":"${b.name}","Host":"${host}","list-type":"2","prefix":${quote(prefix)},"delimiter":"/","encoding-type":"url"}`,
    response: 'null',
    additionalEventData: s3Extra(c, 0, c.rng.between(400, 60_000)),
    resources: `[${bucketResource(c, b)}]`,
    host,
  };
}

export const S3_CALLS: ApiCall[] = defineCalls('s3', [
  {
    name: 'ListBuckets',
    shape: (c) => ({
      request: `{"Host":"s3.${c.region}.amazonaws.com"}`,
      additionalEventData: s3Extra(c, 0, 0),
      host: `s3.${c.region}.amazonaws.com`,
    }),
  },
  { name: 'GetBucketLocation', shape: bucketConfig('location') },
  { name: 'GetBucketPolicy', shape: bucketConfig('policy'), notFound: ['NoSuchBucketPolicy', 'The bucket policy does not exist'] },
  { name: 'GetBucketPolicyStatus', shape: bucketConfig('policyStatus') },
  { name: 'GetBucketAcl', shape: bucketConfig('acl') },
  { name: 'GetBucketVersioning', shape: bucketConfig('versioning') },
  { name: 'GetBucketEncryption', shape: bucketConfig('encryption') },
  { name: 'GetBucketTagging', shape: bucketConfig('tagging'), notFound: ['NoSuchTagSet', 'The TagSet does not exist'] },
  { name: 'GetBucketLogging', shape: bucketConfig('logging') },
  { name: 'GetBucketPublicAccessBlock', shape: bucketConfig('publicAccessBlock') },
  { name: 'GetBucketOwnershipControls', shape: bucketConfig('ownershipControls') },
  {
    name: 'GetBucketLifecycle',
    shape: bucketConfig('lifecycle'),
    notFound: ['NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist'],
  },
  { name: 'GetBucketCors', shape: bucketConfig('cors'), notFound: ['NoSuchCORSConfiguration', 'The CORS configuration does not exist'] },
  {
    name: 'GetBucketWebsite',
    shape: bucketConfig('website'),
    notFound: ['NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration'],
  },
  {
    name: 'GetBucketReplication',
    shape: bucketConfig('replication'),
    notFound: ['ReplicationConfigurationNotFoundError', 'The replication configuration was not found'],
  },
  { name: 'GetBucketNotification', shape: bucketConfig('notification') },
  { name: 'GetBucketRequestPayment', shape: bucketConfig('requestPayment') },
  { name: 'GetAccelerateConfiguration', shape: bucketConfig('accelerate') },
  {
    name: 'GetBucketObjectLockConfiguration',
    shape: bucketConfig('object-lock'),
    notFound: ['ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket'],
  },
  { name: 'PutBucketPolicy', shape: (c) => putBucketPolicyShape(c, bucketOf(c), normalBucketPolicy(c, bucketOf(c))) },
  { name: 'PutBucketTagging', shape: bucketConfig('tagging') },
  { name: 'PutBucketVersioning', shape: bucketConfig('versioning') },
  { name: 'PutBucketPublicAccessBlock', shape: bucketConfig('publicAccessBlock') },
  { name: 'PutBucketLifecycle', shape: bucketConfig('lifecycle') },
  {
    name: 'GetObject',
    data: true,
    notFound: ['NoSuchKey', 'The specified key does not exist.'],
    shape: (c) => {
      const b = bucketOf(c);
      return getObjectShape(c, b, objectKey(b, c.time - c.rng.int(3) * 86_400_000, c.rng), c.rng.between(900, 4_000_000));
    },
  },
  {
    name: 'HeadObject',
    data: true,
    read: true,
    notFound: ['NoSuchKey', 'The specified key does not exist.'],
    shape: (c) => {
      const b = bucketOf(c);
      return getObjectShape(c, b, objectKey(b, c.time, c.rng), 0);
    },
  },
  { name: 'PutObject', data: true, shape: putObject },
  { name: 'ListObjects', data: true, read: true, shape: listObjects },
  {
    name: 'DeleteObject',
    data: true,
    shape: (c) => {
      const b = bucketOf(c);
      const { request: req, additionalEventData, resources, host } = getObjectShape(c, b, objectKey(b, c.time - 30 * 86_400_000, c.rng), 0);
      return {
        request: req,
        response: 'null',
        ...(additionalEventData ? { additionalEventData } : {}),
        ...(resources ? { resources } : {}),
        ...(host ? { host } : {}),
      };
    },
  },
]);

const table = (c: CallContext): string => c.rng.pick(c.regional.tables);

export const DYNAMODB_CALLS: ApiCall[] = defineCalls('dynamodb', [
  { name: 'ListTables', shape: () => request('{}') },
  {
    name: 'DescribeTable',
    shape: (c) => request(`{"tableName":"${table(c)}"}`),
    notFound: ['ResourceNotFoundException', 'Requested resource not found'],
  },
  { name: 'DescribeContinuousBackups', shape: (c) => request(`{"tableName":"${table(c)}"}`) },
  { name: 'DescribeTimeToLive', shape: (c) => request(`{"tableName":"${table(c)}"}`) },
  { name: 'DescribeContributorInsights', shape: (c) => request(`{"tableName":"${table(c)}"}`) },
  { name: 'ListTagsOfResource', shape: (c) => request(`{"resourceArn":"${tableArn(c.region, c.account.id, table(c))}"}`) },
  { name: 'ListBackups', shape: (c) => request(`{"tableName":"${table(c)}"}`) },
  { name: 'CreateBackup', shape: (c) => request(`{"tableName":"${table(c)}","backupName":"nightly-${dayOf(c.time)}"}`) },
  { name: 'UpdateTable', shape: (c) => request(`{"tableName":"${table(c)}","billingMode":"PAY_PER_REQUEST"}`) },
  {
    name: 'UpdateTimeToLive',
    shape: (c) => request(`{"tableName":"${table(c)}","timeToLiveSpecification":{"enabled":true,"attributeName":"expiresAt"}}`),
  },
]);

const db = (c: CallContext): string => c.rng.pick(c.regional.dbInstances.length > 0 ? c.regional.dbInstances : ['default-postgres-1']);
const dbCluster = (c: CallContext): string => db(c).replace(/-\d+$/, '');

export const RDS_CALLS: ApiCall[] = defineCalls('rds', [
  { name: 'DescribeDBInstances', shape: (c) => request(c.rng.chance(0.5) ? `{"dBInstanceIdentifier":"${db(c)}"}` : '{"maxRecords":100}') },
  { name: 'DescribeDBClusters', shape: () => request('{"includeShared":false}') },
  { name: 'DescribeDBSnapshots', shape: () => request('{"snapshotType":"manual","includeShared":false,"includePublic":false}') },
  { name: 'DescribeDBClusterSnapshots', shape: (c) => request(`{"dBClusterIdentifier":"${dbCluster(c)}","snapshotType":"manual"}`) },
  { name: 'DescribeDBParameterGroups' },
  { name: 'DescribeDBClusterParameterGroups' },
  { name: 'DescribeDBSubnetGroups' },
  { name: 'DescribeEvents', shape: () => request('{"sourceType":"db-cluster","duration":1440}') },
  { name: 'DescribeDBEngineVersions', shape: () => request('{"engine":"aurora-postgresql","defaultOnly":true}') },
  { name: 'DescribePendingMaintenanceActions' },
  { name: 'DescribeDBLogFiles', shape: (c) => request(`{"dBInstanceIdentifier":"${db(c)}"}`) },
  {
    name: 'ListTagsForResource',
    shape: (c) => request(`{"resourceName":"arn:aws:rds:${c.region}:${c.account.id}:cluster:${dbCluster(c)}"}`),
  },
  {
    name: 'CreateDBClusterSnapshot',
    shape: (c) =>
      request(`{"dBClusterSnapshotIdentifier":"${dbCluster(c)}-manual-${dayOf(c.time)}","dBClusterIdentifier":"${dbCluster(c)}"}`),
  },
  {
    name: 'DeleteDBClusterSnapshot',
    shape: (c) => request(`{"dBClusterSnapshotIdentifier":"${dbCluster(c)}-manual-${dayOf(c.time - 14 * 86_400_000)}"}`),
  },
  {
    name: 'ModifyDBInstance',
    shape: (c) => request(`{"dBInstanceIdentifier":"${db(c)}","applyImmediately":false,"performanceInsightsRetentionPeriod":7}`),
  },
]);

const glueTable = (c: CallContext): readonly [string, string] => c.rng.pick(c.regional.glueTables);

export const GLUE_CALLS: ApiCall[] = defineCalls('glue', [
  { name: 'GetDatabases', shape: () => request('{"resourceShareType":"ALL"}') },
  { name: 'GetDatabase', shape: (c) => request(`{"name":"${glueTable(c)[0]}"}`) },
  { name: 'GetTables', shape: (c) => request(`{"databaseName":"${glueTable(c)[0]}"}`) },
  {
    name: 'GetTable',
    shape: (c) => request(`{"databaseName":"${glueTable(c)[0]}","name":"${glueTable(c)[1]}"}`),
    notFound: ['EntityNotFoundException', 'Table not found'],
  },
  {
    name: 'GetPartitions',
    shape: (c) =>
      request(
        `{"databaseName":"${glueTable(c)[0]}","tableName":"${glueTable(c)[1]}","expression":"dt >= '${dayOf(c.time - 7 * 86_400_000)}'"}`,
      ),
  },
  {
    name: 'BatchCreatePartition',
    shape: (c) =>
      request(`{"databaseName":"raw_events","tableName":"${glueTable(c)[1]}","partitionInputList":[{"values":["${dayOf(c.time)}"]}]}`),
  },
  { name: 'GetCrawler', shape: () => request('{"name":"raw-events-crawler"}') },
  { name: 'StartCrawler', shape: () => request('{"name":"raw-events-crawler"}') },
  { name: 'StartJobRun', shape: () => request('{"jobName":"orders-daily-rollup"}') },
  { name: 'GetJobRuns', shape: () => request('{"jobName":"orders-daily-rollup","maxResults":20}') },
]);

const QUERIES = [
  "SELECT date_trunc('day', order_ts) AS day, count(*) AS orders FROM analytics.orders_daily WHERE dt >= '{day}' GROUP BY 1 ORDER BY 1",
  "SELECT country, sum(amount_cents) / 100.0 AS revenue FROM analytics.orders_daily WHERE dt = '{day}' GROUP BY country ORDER BY revenue DESC LIMIT 20",
  "SELECT count(DISTINCT session_id) FROM raw_events.clickstream WHERE dt = '{day}'",
  "SELECT status, count(*) FROM raw_events.api_access_logs WHERE dt = '{day}' AND status >= 500 GROUP BY status",
  "SELECT * FROM analytics.customers WHERE signup_date = date '{day}' LIMIT 100",
];

export const ATHENA_CALLS: ApiCall[] = defineCalls('athena', [
  {
    name: 'StartQueryExecution',
    shape: (c) => ({
      request: `{"queryString":${quote(c.rng.pick(QUERIES).replace('{day}', dayOf(c.time - 86_400_000)))},"clientRequestToken":"${c.rng.uuid()}","queryExecutionContext":{"database":"analytics","catalog":"AwsDataCatalog"},"resultConfiguration":{"outputLocation":"s3://${c.inventory.buckets.find((b) => b.name.includes('athena-results'))?.name ?? 'athena-results'}/"},"workGroup":"primary"}`,
      response: `{"queryExecutionId":"${c.rng.uuid()}"}`,
    }),
  },
  { name: 'GetQueryExecution', shape: (c) => request(`{"queryExecutionId":"${c.rng.uuid()}"}`) },
  { name: 'GetQueryResults', shape: (c) => request(`{"queryExecutionId":"${c.rng.uuid()}","maxResults":1000}`) },
  { name: 'GetQueryRuntimeStatistics', shape: (c) => request(`{"queryExecutionId":"${c.rng.uuid()}"}`) },
  { name: 'ListWorkGroups', shape: () => request('{"maxResults":50}') },
  { name: 'GetWorkGroup', shape: () => request('{"workGroup":"primary"}') },
  { name: 'ListDataCatalogs' },
  { name: 'ListDatabases', shape: () => request('{"catalogName":"AwsDataCatalog"}') },
  { name: 'ListTableMetadata', shape: (c) => request(`{"catalogName":"AwsDataCatalog","databaseName":"${glueTable(c)[0]}"}`) },
  {
    name: 'GetTableMetadata',
    shape: (c) => request(`{"catalogName":"AwsDataCatalog","databaseName":"${glueTable(c)[0]}","tableName":"${glueTable(c)[1]}"}`),
  },
  { name: 'ListQueryExecutions', shape: () => request('{"workGroup":"primary"}') },
]);
