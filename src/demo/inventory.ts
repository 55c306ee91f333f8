/**
 * What exists in each account and region: the buckets, instances, security groups, keys,
 * functions and zones that API calls name in their requestParameters.
 *
 * Ids follow AWS's formats (`sg-0` + 17 hex, `i-0` + 16 hex, KMS key UUIDs, Route 53 zone ids)
 * and are stable for a seed, so the same instance is described, tagged and stopped across days,
 * the way a real inventory is.
 */
import type { Account, Organization } from './organization.js';
import { SeededRandom } from './random.js';

/** How the objects of a bucket are named: each bucket holds one kind of data. */
export type ObjectKeyStyle = 'exports' | 'uploads' | 'lake' | 'reports' | 'artifacts' | 'backups' | 'trail';

export interface Bucket {
  readonly name: string;
  readonly region: string;
  /** The organization trail logs S3 data events (GetObject, PutObject...) for this bucket. */
  readonly dataEvents: boolean;
  readonly keyStyle: ObjectKeyStyle;
  readonly kmsKeyArn?: string;
  /** The virtual-hosted endpoint clients address (`<bucket>.s3.<region>.amazonaws.com`). */
  readonly host: string;
}

export interface SecurityGroup {
  readonly id: string;
  readonly name: string;
  readonly vpcId: string;
}

export interface Instance {
  readonly id: string;
  readonly type: string;
  readonly imageId: string;
  readonly subnetId: string;
  readonly privateIp: string;
}

export interface HostedZone {
  readonly id: string;
  /** With the trailing dot, as Route 53 writes names. */
  readonly name: string;
  readonly private: boolean;
}

export interface Secret {
  readonly name: string;
  readonly arn: string;
}

export interface KmsKey {
  readonly id: string;
  readonly arn: string;
  readonly alias: string;
}

export interface RegionInventory {
  readonly region: string;
  readonly vpcs: readonly string[];
  readonly subnets: readonly string[];
  readonly securityGroups: readonly SecurityGroup[];
  readonly instances: readonly Instance[];
  readonly images: readonly string[];
  readonly volumes: readonly string[];
  readonly snapshots: readonly string[];
  readonly keyPairs: readonly string[];
  readonly kmsKeys: readonly KmsKey[];
  readonly functions: readonly string[];
  readonly logGroups: readonly string[];
  readonly secrets: readonly Secret[];
  readonly parameters: readonly string[];
  readonly tables: readonly string[];
  readonly dbInstances: readonly string[];
  readonly ecsCluster: string;
  readonly ecsServices: readonly string[];
  readonly repositories: readonly string[];
  readonly loadBalancers: readonly string[];
  readonly targetGroups: readonly string[];
  readonly autoScalingGroups: readonly string[];
  readonly stacks: readonly string[];
  readonly alarms: readonly string[];
  readonly topics: readonly string[];
  readonly queues: readonly string[];
  readonly stateMachines: readonly string[];
  readonly glueTables: readonly (readonly [string, string])[];
  readonly certificates: readonly string[];
  readonly natGatewayIps: readonly string[];
}

export interface AccountInventory {
  readonly account: Account;
  readonly buckets: readonly Bucket[];
  readonly dataEventBuckets: readonly Bucket[];
  readonly roles: readonly string[];
  readonly users: readonly string[];
  readonly policies: readonly string[];
  readonly hostedZones: readonly HostedZone[];
  readonly distributions: readonly string[];
  readonly regions: ReadonlyMap<string, RegionInventory>;
  region(name: string): RegionInventory;
}

const LAMBDA_NAMES: Record<Account['role'], readonly string[]> = {
  management: ['security-scanner', 'account-vending', 'cost-anomaly-notifier'],
  production: [
    'orders-api-authorizer',
    'image-resizer',
    'export-customers-nightly',
    'stripe-webhook-handler',
    'audit-log-shipper',
    'session-cleanup',
    'email-notifier',
    'report-builder',
  ],
  staging: ['orders-api-authorizer', 'image-resizer', 'export-customers-nightly', 'email-notifier'],
  sandbox: ['hello-world', 'scratch-test'],
};

const INSTANCE_TYPES = ['m6i.large', 'm6i.xlarge', 'c6i.large', 't3.medium', 'r6i.large', 'm7g.large'];

/** AWS-owned public ranges, for NAT gateway addresses a workload's calls come from. */
const AWS_PREFIXES = ['3.208', '3.223', '18.204', '34.192', '44.195', '52.4', '52.54', '54.86', '54.155', '35.170', '34.250', '52.213'];

function awsIp(rng: SeededRandom): string {
  return `${rng.pick(AWS_PREFIXES)}.${rng.between(1, 254)}.${rng.between(1, 254)}`;
}

const id17 = (rng: SeededRandom, prefix: string): string => `${prefix}-0${rng.hex(16)}`;

function regionInventory(org: Organization, account: Account, region: string, scale: number): RegionInventory {
  const rng = SeededRandom.from(org.id, account.id, region, 'inventory');
  const n = (base: number): number => Math.max(1, Math.round(base * scale));
  const env =
    account.role === 'production' ? 'prod' : account.role === 'staging' ? 'staging' : account.role === 'management' ? 'mgmt' : 'sandbox';
  const arn = (service: string, rest: string): string => `arn:aws:${service}:${region}:${account.id}:${rest}`;

  const vpcs = [id17(rng, 'vpc'), ...(scale >= 1 ? [id17(rng, 'vpc')] : [])];
  const subnets = Array.from({ length: n(6) }, () => id17(rng, 'subnet'));
  const sgNames = [
    'default',
    `${env}-alb`,
    `${env}-ecs-tasks`,
    `${env}-rds`,
    `${env}-lambda`,
    `${env}-bastion`,
    `${env}-vpc-endpoints`,
    `${env}-redis`,
  ];
  const securityGroups = sgNames.slice(0, Math.max(1, Math.round(sgNames.length * Math.min(1, scale)))).map((name) => ({
    id: id17(rng, 'sg'),
    name,
    vpcId: vpcs[0]!,
  }));
  const images = Array.from({ length: n(3) }, () => id17(rng, 'ami'));
  const instances = Array.from({ length: scale >= 0.5 ? n(10) : 0 }, () => ({
    id: id17(rng, 'i'),
    type: rng.pick(INSTANCE_TYPES),
    imageId: rng.pick(images),
    subnetId: rng.pick(subnets),
    privateIp: `10.${rng.between(0, 3)}.${rng.between(0, 255)}.${rng.between(4, 254)}`,
  }));
  const kmsAliases = ['app-data', 's3-exports', 'secrets', 'rds', 'logs'].slice(0, n(5));
  const kmsKeys = kmsAliases.map((alias) => {
    const id = rng.uuid();
    return { id, arn: arn('kms', `key/${id}`), alias: `alias/${env}-${alias}` };
  });
  const functions = scale >= 0.5 ? LAMBDA_NAMES[account.role].slice(0, n(LAMBDA_NAMES[account.role].length)) : [];
  const ecsServices = scale >= 0.5 ? ['api', 'worker', 'web'] : [];
  const secretNames = [`${env}/api/db-credentials`, `${env}/stripe/api-key`, `${env}/sendgrid/api-key`, `${env}/worker/redis-auth`];
  return {
    region,
    vpcs,
    subnets,
    securityGroups,
    instances,
    images,
    volumes: Array.from({ length: n(12) }, () => id17(rng, 'vol')),
    snapshots: Array.from({ length: n(6) }, () => id17(rng, 'snap')),
    keyPairs: [`${env}-bastion`, `${env}-ops-${region}`],
    kmsKeys,
    functions,
    logGroups: [
      ...functions.map((f) => `/aws/lambda/${f}`),
      ...ecsServices.map((s) => `/ecs/${env}-main/${s}`),
      `/aws/rds/cluster/${env}-postgres/postgresql`,
      'aws-cloudtrail-logs',
    ],
    secrets: secretNames.slice(0, n(4)).map((name) => ({ name, arn: arn('secretsmanager', `secret:${name}-${rng.mixedAlnum(6)}`) })),
    parameters: [
      `/${env}/api/feature-flags`,
      `/${env}/api/log-level`,
      `/${env}/worker/concurrency`,
      `/${env}/shared/vpc-id`,
      `/${env}/shared/datadog-api-key`,
      '/cdk-bootstrap/hnb659fds/version',
    ],
    tables: ['orders', 'sessions', 'idempotency-keys', 'feature-flags'].map((t) => `${env}-${t}`).slice(0, n(4)),
    dbInstances: scale >= 0.5 ? [`${env}-postgres-main-1`, `${env}-postgres-main-2`] : [],
    ecsCluster: `${env}-main`,
    ecsServices,
    repositories: ['api', 'worker', 'web', 'image-resizer'],
    loadBalancers: scale >= 0.5 ? [arn('elasticloadbalancing', `loadbalancer/app/${env}-api-alb/${rng.hex(16)}`)] : [],
    targetGroups: scale >= 0.5 ? ['api', 'web'].map((t) => arn('elasticloadbalancing', `targetgroup/${env}-${t}-tg/${rng.hex(16)}`)) : [],
    autoScalingGroups: scale >= 0.5 ? [`${env}-ecs-capacity-${rng.hex(8)}`] : [],
    stacks: ['CDKToolkit', `${env}-network`, `${env}-data`, `${env}-api`, `${env}-observability`].slice(0, n(5)),
    alarms: [`${env}-api-5xx-rate`, `${env}-api-p99-latency`, `${env}-rds-cpu-high`, `${env}-dlq-not-empty`, `${env}-lambda-errors`].slice(
      0,
      n(5),
    ),
    topics: [arn('sns', `${env}-alerts`), arn('sns', `${env}-order-events`)],
    queues: [`${env}-order-events-worker`, `${env}-email-outbox`, `${env}-order-events-dlq`],
    stateMachines: [arn('states', `stateMachine:${env}-nightly-export`), arn('states', `stateMachine:${env}-order-fulfilment`)],
    glueTables: [
      ['analytics', 'orders_daily'],
      ['analytics', 'customers'],
      ['raw_events', 'clickstream'],
      ['raw_events', 'api_access_logs'],
    ],
    certificates: [arn('acm', `certificate/${rng.uuid()}`)],
    natGatewayIps: [awsIp(rng), awsIp(rng)],
  };
}

/** `users`: the account's IAM user names (from the directory), which IAM calls name. */
export function createInventory(org: Organization, account: Account, users: readonly string[]): AccountInventory {
  const rng = SeededRandom.from(org.id, account.id, 'account-inventory');
  const slug = org.domain.split('.')[0]!;
  const scaleFor = (region: string): number => {
    const share = account.workloadRegions.find(([r]) => r === region)?.[1];
    return share === undefined ? 0.2 : share >= 0.5 ? 1 : 0.5;
  };
  const regions = new Map<string, RegionInventory>();
  for (const region of org.enabledRegions) regions.set(region, regionInventory(org, account, region, scaleFor(region)));
  const home = regions.get(account.homeRegion)!;
  const kms = (alias: string): string | undefined => home.kmsKeys.find((k) => k.alias.endsWith(alias))?.arn;

  const buckets: Bucket[] = [];
  const bucket = (name: string, keyStyle: ObjectKeyStyle, dataEvents: boolean, region = account.homeRegion): void => {
    const kmsKeyArn = keyStyle === 'exports' ? kms('s3-exports') : undefined;
    buckets.push({ name, region, dataEvents, keyStyle, host: `${name}.s3.${region}.amazonaws.com`, ...(kmsKeyArn ? { kmsKeyArn } : {}) });
  };
  const isProduction = account.role === 'production' || (account.role === 'management' && org.accounts.length === 1);
  if (account.role === 'management') {
    bucket(org.trailBucket, 'trail', false);
    bucket(`${slug}-billing-reports-${account.id}`, 'reports', false);
    bucket(`config-bucket-${account.id}`, 'backups', false);
  }
  if (isProduction) {
    bucket(`${slug}-prod-customer-exports`, 'exports', true);
    bucket(`${slug}-prod-app-uploads`, 'uploads', true);
    bucket(`${slug}-prod-app-uploads-eu`, 'uploads', true, 'eu-west-1');
    bucket(`${slug}-data-lake-raw`, 'lake', true);
    bucket(`${slug}-prod-reports`, 'reports', true);
    bucket(`${slug}-prod-backups`, 'backups', false);
    bucket(`${slug}-prod-static-site`, 'artifacts', false);
  }
  if (account.role === 'staging') {
    bucket(`${slug}-staging-app-uploads`, 'uploads', true);
    bucket(`${slug}-staging-artifacts`, 'artifacts', false);
  }
  if (account.role === 'sandbox') bucket(`${slug}-${account.alias.split('-').slice(1).join('-')}-scratch`, 'artifacts', false);
  bucket(`${slug}-terraform-state-${account.id}`, 'artifacts', false);
  bucket(`${slug}-athena-results-${account.id}`, 'reports', false);
  bucket(`cdk-hnb659fds-assets-${account.id}-${account.homeRegion}`, 'artifacts', false);

  const zones: HostedZone[] = [];
  const zoneId = (): string => `Z0${rng.upperAlnum(rng.between(12, 19))}`;
  if (isProduction) {
    zones.push({ id: zoneId(), name: `${org.domain}.`, private: false });
    zones.push({ id: zoneId(), name: `internal.${org.domain}.`, private: true });
  } else if (account.role === 'staging') {
    zones.push({ id: zoneId(), name: `staging.${org.domain}.`, private: false });
  }

  return {
    account,
    buckets,
    dataEventBuckets: buckets.filter((b) => b.dataEvents),
    roles: [
      'OrganizationAccountAccessRole',
      'SecurityAuditRole',
      'github-actions-deploy',
      'ecsTaskExecutionRole',
      'AWSServiceRoleForConfig',
      'AWSServiceRoleForAutoScaling',
      'AWSServiceRoleForECS',
      'AWSServiceRoleForSSO',
      'cdk-hnb659fds-cfn-exec-role',
      'cdk-hnb659fds-deploy-role',
      ...home.functions.map((f) => `${f}-role`),
    ],
    users,
    policies: ['deploy-permissions-boundary', 'ci-terraform-plan', 'read-customer-exports', 'ecs-task-app-access'],
    hostedZones: zones,
    distributions: isProduction ? [`E${rng.upperAlnum(13)}`, `E${rng.upperAlnum(13)}`] : [],
    regions,
    region(name: string): RegionInventory {
      return regions.get(name) ?? home;
    },
  };
}
