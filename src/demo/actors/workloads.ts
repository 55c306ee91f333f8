/**
 * What runs without people: Lambda functions, ECS services, instance agents, AWS Config,
 * GitHub Actions deploys, CloudFormation, a nightly cross-account security scanner, on-premises
 * jobs with IAM users, Auto Scaling and Secrets Manager rotation.
 *
 * Automation runs around the clock (customer traffic swells in the American afternoon) and on
 * weekends, so a quiet weekend still has thousands of events — only the people disappear.
 * Each session begins as it does in AWS: Lambda, ECS and EC2 assume the role as `AWSService`,
 * CI through `AssumeRoleWithWebIdentity`, the scanner with a cross-account `AssumeRole`.
 */
import type { Actor, ActorRole, Burst, Task } from '../activity.js';
import { utc } from '../activity.js';
import { assumeRoleShape } from '../catalog/identity-calls.js';
import { dayOf, roleArn } from '../catalog/resource-names.js';
import { apiCall } from '../event-catalog.js';
import type { Caller } from '../event-recorder.js';
import {
  assumedRoleIdentity,
  awsServiceIdentity,
  iamUserIdentity,
  serviceEventIdentity,
  webIdentityUser,
  type IamUser,
  type RoleSession,
} from '../identities.js';
import type { AccountInventory, Bucket } from '../inventory.js';
import type { Account } from '../organization.js';
import { SeededRandom, WeightedChoice } from '../random.js';
import type { Schedule } from '../schedule.js';
import type { World } from '../world.js';
import { iamUserCaller, roleSessionCaller, serviceCaller } from './callers.js';
import { task, tasks } from './task.js';
import {
  CDK,
  CI_CLI,
  ECS_AGENT,
  ECS_NODE,
  LAMBDA_NODE,
  LAMBDA_PYTHON,
  OLD_BOTO,
  SSM_AGENT,
  TERRAFORM,
  userAgentFor,
} from './user-agents.js';

const STS_ASSUME_ROLE = apiCall('sts:AssumeRole');
const STS_WEB_IDENTITY = apiCall('sts:AssumeRoleWithWebIdentity');
const MINUTE = 60_000;

const envOf = (account: Account): string =>
  account.role === 'production' ? 'prod' : account.role === 'staging' ? 'staging' : account.role === 'management' ? 'mgmt' : 'sandbox';

const single = (account: Account, label: string, t: WeightedChoice<Task>, region: string): WeightedChoice<ActorRole> =>
  new WeightedChoice([[{ account, label, tasks: t, regions: new WeightedChoice([[region, 1]]) }, 1]]);

interface RoleWorkload {
  readonly key: string;
  readonly account: Account;
  readonly region: string;
  readonly share: number;
  readonly schedule: Schedule;
  readonly tasks: WeightedChoice<Task>;
  readonly errorRate: number;
  readonly roleName: string;
  readonly rolePath?: string;
  /** Credentials last this long: one AssumeRole per period. */
  readonly sessionMinutes: number;
  readonly sessionName: (r: SeededRandom, burst: Burst) => string;
  readonly ip: (r: SeededRandom, burst: Burst) => string;
  readonly userAgent: string;
  /** The service that assumes the role for the workload, recording `AssumeRole` as `AWSService`. */
  readonly assumedBy?: string;
  readonly ec2RoleDelivery?: boolean;
  /** The session is used by an AWS service itself (`invokedBy`), not from a workload's address. */
  readonly invokedBy?: string;
}

/** A workload that runs under a role in its own account. */
function roleWorkload(world: World, w: RoleWorkload): Actor {
  const sessionKey = (b: Burst): string => `${Math.floor(b.start / (w.sessionMinutes * MINUTE))}|${w.ec2RoleDelivery ? b.variant % 8 : ''}`;
  const roleId = `AROA${SeededRandom.from(world.seed, 'role-id', w.account.id, w.roleName).upperAlnum(17)}`;
  return {
    key: w.key,
    share: w.share,
    schedule: w.schedule,
    roles: single(w.account, w.roleName, w.tasks, w.region),
    errorRate: w.errorRate,
    sessionKey,
    caller(burst, day) {
      const key = sessionKey(burst);
      return day.remember(`${w.key}|${key}`, (): Caller => {
        const r = SeededRandom.from(world.seed, 'session', w.key, key);
        const session: RoleSession = {
          accountId: w.account.id,
          roleName: w.roleName,
          rolePath: w.rolePath ?? '/',
          roleId,
          sessionName: w.sessionName(r, burst),
          accessKeyId: `ASIA${r.upperAlnum(16)}`,
          creationDate: burst.sessionStart - r.between(1, 20) * 1000,
          mfaAuthenticated: false,
          ...(w.ec2RoleDelivery ? { ec2RoleDelivery: true } : {}),
          ...(w.invokedBy ? { invokedBy: w.invokedBy } : {}),
        };
        if (burst.opensSession && w.assumedBy) {
          const assumer = serviceCaller(awsServiceIdentity(w.assumedBy), w.assumedBy);
          const arn = roleArn(w.account.id, w.roleName, w.rolePath);
          day.recorder.record(assumer, STS_ASSUME_ROLE, w.account, w.region, session.creationDate, {
            error: null,
            shape: (c) => assumeRoleShape(c, arn, session.sessionName, session.accessKeyId),
          });
        }
        if (w.invokedBy) {
          return {
            userIdentity: assumedRoleIdentity(session),
            sourceIPAddress: w.invokedBy,
            userAgent: () => w.invokedBy!,
            arn: `arn:aws:sts::${w.account.id}:assumed-role/${w.roleName}/${session.sessionName}`,
            tls: false,
          };
        }
        return roleSessionCaller(session, w.ip(r, burst), userAgentFor('sdk', w.userAgent));
      });
    },
  };
}

const bucketsOf = (inv: AccountInventory, style: Bucket['keyStyle'], region?: string): Bucket[] => {
  const all = inv.buckets.filter((b) => b.keyStyle === style && b.dataEvents);
  const local = region ? all.filter((b) => b.region === region) : all;
  return local.length > 0 ? local : all;
};

interface FunctionProfile {
  readonly share: number;
  readonly schedule: Schedule;
  readonly python?: boolean;
  tasks(inv: AccountInventory, region: string): WeightedChoice<Task>;
}

const coldStart = task('cold-start', 'sdk', [1, 3], 0.2, {
  'secretsmanager:GetSecretValue': 2,
  'ssm:GetParameter': 1,
  'ssm:GetParameters': 1,
});

const FUNCTIONS: Record<string, FunctionProfile> = {
  'orders-api-authorizer': { share: 0.8, schedule: { kind: 'clock', profile: 'customers' }, tasks: () => tasks([coldStart, 1]) },
  'image-resizer': {
    share: 2,
    schedule: { kind: 'clock', profile: 'customers' },
    tasks: (inv, region) =>
      tasks(
        [
          task(
            'resize',
            'sdk',
            [2, 6],
            0.5,
            { 's3:GetObject': 1, 's3:PutObject': 1, 's3:HeadObject': 0.3 },
            { buckets: bucketsOf(inv, 'uploads', region) },
          ),
          10,
        ],
        [coldStart, 1],
      ),
  },
  'export-customers-nightly': {
    share: 1.2,
    schedule: { kind: 'nightly', utcMinutes: [utc(2)] },
    tasks: (inv) =>
      tasks([
        task(
          'export',
          'sdk',
          [20, 60],
          0.8,
          { 's3:PutObject': 10, 's3:ListObjects': 1, 'secretsmanager:GetSecretValue': 0.2 },
          { buckets: bucketsOf(inv, 'exports') },
        ),
        1,
      ]),
  },
  'stripe-webhook-handler': {
    share: 0.5,
    schedule: { kind: 'clock', profile: 'customers' },
    tasks: () => tasks([task('webhook', 'sdk', [1, 2], 0.2, { 'secretsmanager:GetSecretValue': 1, 'events:DescribeEventBus': 0.1 }), 1]),
  },
  'audit-log-shipper': {
    share: 1,
    schedule: { kind: 'periodic', everyMinutes: 5 },
    tasks: (inv) =>
      tasks([
        task('ship', 'sdk', [1, 4], 0.5, { 's3:PutObject': 3, 'logs:DescribeLogStreams': 0.5 }, { buckets: bucketsOf(inv, 'lake') }),
        1,
      ]),
  },
  'session-cleanup': {
    share: 0.2,
    schedule: { kind: 'periodic', everyMinutes: 60 },
    tasks: () => tasks([task('cleanup', 'sdk', [1, 2], 0.5, { 'dynamodb:DescribeTable': 1 }), 1]),
  },
  'email-notifier': {
    share: 0.4,
    schedule: { kind: 'clock', profile: 'customers' },
    tasks: () => tasks([task('notify', 'sdk', [1, 2], 0.3, { 'secretsmanager:GetSecretValue': 1, 'ssm:GetParameter': 1 }), 1]),
  },
  'report-builder': {
    share: 0.6,
    python: true,
    schedule: { kind: 'nightly', utcMinutes: [utc(6)] },
    tasks: (inv) =>
      tasks([
        task(
          'report',
          'sdk',
          [6, 24],
          2,
          { 'athena:StartQueryExecution': 1, 'athena:GetQueryExecution': 5, 'athena:GetQueryResults': 1, 's3:PutObject': 1 },
          { buckets: bucketsOf(inv, 'reports') },
        ),
        1,
      ]),
  },
  'account-vending': {
    share: 0.05,
    python: true,
    schedule: { kind: 'nightly', utcMinutes: [utc(5, 30)] },
    tasks: () => tasks([task('inventory', 'sdk', [2, 6], 0.5, { 'organizations:ListAccounts': 1, 'organizations:DescribeAccount': 2 }), 1]),
  },
  'cost-anomaly-notifier': {
    share: 0.1,
    python: true,
    schedule: { kind: 'nightly', utcMinutes: [utc(9)] },
    tasks: () => tasks([task('costs', 'sdk', [2, 4], 0.5, { 'ce:GetAnomalies': 1, 'ce:GetCostAndUsage': 1 }), 1]),
  },
  'hello-world': {
    share: 0.05,
    schedule: { kind: 'clock', profile: 'flat' },
    tasks: () => tasks([task('hello', 'sdk', [1, 2], 0.2, { 'sts:GetCallerIdentity': 1, 's3:ListBuckets': 1 }), 1]),
  },
  'scratch-test': {
    share: 0.03,
    schedule: { kind: 'clock', profile: 'flat' },
    tasks: () => tasks([task('scratch', 'sdk', [1, 2], 0.2, { 'sts:GetCallerIdentity': 1 }), 1]),
  },
};

function lambdaFunctions(world: World, inv: AccountInventory): Actor[] {
  const actors: Actor[] = [];
  const account = inv.account;
  const scale = account.role === 'production' || (account.role === 'management' && inv.dataEventBuckets.length > 0) ? 1 : 0.2;
  for (const [region, regional] of inv.regions) {
    const regionScale = region === account.homeRegion ? 1 : 0.4;
    for (const fn of regional.functions) {
      const profile = FUNCTIONS[fn];
      if (!profile) continue;
      const ips = regional.natGatewayIps;
      actors.push(
        roleWorkload(world, {
          key: `lambda:${account.id}:${region}:${fn}`,
          account,
          region,
          share: profile.share * scale * regionScale,
          schedule: profile.schedule,
          tasks: profile.tasks(inv, region),
          errorRate: 0.02,
          roleName: `${fn}-role`,
          sessionMinutes: 120,
          sessionName: () => fn,
          ip: (r) => r.pick(ips),
          userAgent: profile.python ? LAMBDA_PYTHON : LAMBDA_NODE,
          assumedBy: 'lambda.amazonaws.com',
        }),
      );
    }
  }
  return actors;
}

function ecsServices(world: World, inv: AccountInventory): Actor[] {
  const account = inv.account;
  const env = envOf(account);
  const scale = account.role === 'staging' ? 0.15 : account.role === 'sandbox' ? 0 : 1;
  if (scale === 0) return [];
  const actors: Actor[] = [];
  for (const [region, regional] of inv.regions) {
    if (!regional.ecsServices.includes('api')) continue;
    const regionScale = region === account.homeRegion ? 1 : 0.4;
    const uploads = bucketsOf(inv, 'uploads', region);
    const secrets = task('config', 'sdk', [1, 3], 0.3, {
      'secretsmanager:GetSecretValue': 2,
      'ssm:GetParameters': 1,
      'sts:GetCallerIdentity': 0.2,
    });
    const services: [string, number, WeightedChoice<Task>][] = [
      [
        'api',
        2.5,
        tasks(
          [task('uploads', 'sdk', [1, 5], 0.5, { 's3:PutObject': 3, 's3:GetObject': 4, 's3:HeadObject': 1 }, { buckets: uploads }), 8],
          [secrets, 1],
        ),
      ],
      [
        'worker',
        1.5,
        tasks(
          [
            task(
              'process',
              'sdk',
              [2, 6],
              0.8,
              { 's3:GetObject': 3, 's3:PutObject': 2 },
              { buckets: [...uploads, ...bucketsOf(inv, 'lake')] },
            ),
            6,
          ],
          [secrets, 1],
        ),
      ],
    ];
    for (const [service, share, t] of services) {
      actors.push(
        roleWorkload(world, {
          key: `ecs:${account.id}:${region}:${service}`,
          account,
          region,
          share: share * scale * regionScale,
          schedule: { kind: 'clock', profile: 'customers' },
          tasks: t,
          errorRate: 0.015,
          roleName: `${env}-${service}-task`,
          sessionMinutes: 360,
          sessionName: (r) => r.hex(32),
          ip: (r) => r.pick(regional.natGatewayIps),
          userAgent: ECS_NODE,
          assumedBy: 'ecs-tasks.amazonaws.com',
        }),
      );
    }
  }
  return actors;
}

const ssmHeartbeat: Task = task('ssm-heartbeat', 'service', [1, 2], 1, {
  'ssm:UpdateInstanceInformation': 6,
  'ssm:ListInstanceAssociations': 1,
});
const ecsAgent: Task = task('ecs-agent', 'service', [1, 4], 1, {
  'ecs:DiscoverPollEndpoint': 3,
  'ecs:SubmitTaskStateChange': 1,
  'ecr:GetAuthorizationToken': 1,
  'ecr:BatchGetImage': 1,
  'ecr:GetDownloadUrlForLayer': 2,
  'logs:CreateLogStream': 1,
});

/** The SSM and ECS agents on each instance, calling home every few minutes. */
function instanceAgents(world: World, inv: AccountInventory): Actor[] {
  const account = inv.account;
  const actors: Actor[] = [];
  for (const [region, regional] of inv.regions) {
    if (regional.instances.length === 0) continue;
    const share = (region === account.homeRegion ? 2.5 : 1) * (account.role === 'production' ? 1 : 0.4);
    for (const [name, t, ua] of [
      ['ssm-agent', ssmHeartbeat, SSM_AGENT],
      ['ecs-agent', ecsAgent, ECS_AGENT],
    ] as const) {
      actors.push(
        roleWorkload(world, {
          key: `${name}:${account.id}:${region}`,
          account,
          region,
          share: share / 2,
          schedule: { kind: 'periodic', everyMinutes: 5 },
          tasks: tasks([t, 1]),
          errorRate: 0.01,
          roleName: `${envOf(account)}-ec2-instance-role`,
          sessionMinutes: 360,
          sessionName: (_r, b) => regional.instances[(b.variant % 8) % regional.instances.length]!.id,
          ip: (r) => r.pick(regional.natGatewayIps),
          userAgent: ua,
          assumedBy: 'ec2.amazonaws.com',
          ec2RoleDelivery: true,
        }),
      );
    }
  }
  return actors;
}

const configSweep = task('config-sweep', 'service', [4, 30], 0.5, {
  'ec2:DescribeInstances': 2,
  'ec2:DescribeSecurityGroups': 2,
  'ec2:DescribeVpcs': 1,
  'ec2:DescribeSubnets': 1,
  'ec2:DescribeVolumes': 1,
  'ec2:DescribeNetworkInterfaces': 1,
  'ec2:DescribeRouteTables': 1,
  'ec2:DescribeNetworkAcls': 0.5,
  'ec2:DescribeInternetGateways': 0.5,
  'ec2:DescribeNatGateways': 0.5,
  'ec2:DescribeVpcEndpoints': 0.5,
  'ec2:DescribeAddresses': 0.5,
  's3:GetBucketPolicy': 1,
  's3:GetBucketAcl': 1,
  's3:GetBucketVersioning': 0.5,
  's3:GetBucketLogging': 0.5,
  's3:GetBucketTagging': 0.5,
  's3:GetBucketLifecycle': 0.5,
  's3:GetBucketReplication': 0.5,
  's3:GetBucketNotification': 0.3,
  's3:GetBucketPublicAccessBlock': 0.5,
  's3:GetBucketEncryption': 0.5,
  's3:GetBucketWebsite': 0.3,
  's3:GetBucketCors': 0.3,
  's3:GetAccelerateConfiguration': 0.2,
  's3:GetBucketOwnershipControls': 0.3,
  'lambda:ListFunctions20150331': 0.5,
  'lambda:GetFunction20150331v2': 0.5,
  'lambda:GetPolicy20150331v2': 0.3,
  'rds:DescribeDBInstances': 0.5,
  'rds:DescribeDBClusters': 0.3,
  'rds:DescribeDBSnapshots': 0.3,
  'elasticloadbalancing:DescribeLoadBalancers': 0.5,
  'elasticloadbalancing:DescribeLoadBalancerAttributes': 0.3,
  'kms:ListKeys': 0.3,
  'kms:DescribeKey': 0.5,
  'kms:GetKeyRotationStatus': 0.3,
  'dynamodb:ListTables': 0.3,
  'dynamodb:DescribeTable': 0.5,
  'dynamodb:DescribeContinuousBackups': 0.3,
  'sns:ListTopics': 0.3,
  'sns:GetTopicAttributes': 0.3,
  'sqs:ListQueues': 0.3,
  'sqs:GetQueueAttributes': 0.3,
  'cloudtrail:DescribeTrails': 0.2,
  'cloudtrail:GetTrailStatus': 0.2,
  'autoscaling:DescribeAutoScalingGroups': 0.3,
  'ecs:DescribeClusters': 0.2,
  'ecs:DescribeServices': 0.3,
  'ecr:DescribeRepositories': 0.2,
  'logs:DescribeLogGroups': 0.3,
  'secretsmanager:ListSecrets': 0.2,
  'secretsmanager:DescribeSecret': 0.3,
  'ssm:DescribeInstanceInformation': 0.3,
  'acm:ListCertificates': 0.2,
  'acm:DescribeCertificate': 0.2,
  'cloudformation:DescribeStacks': 0.3,
  'config:DescribeConfigurationRecorderStatus': 0.2,
  'config:DescribeConfigurationRecorders': 0.1,
  'config:DescribeDeliveryChannels': 0.1,
  'config:PutEvaluations': 0.5,
  'iam:GetRole': 0.3,
  'iam:ListAttachedRolePolicies': 0.2,
  'iam:GetUser': 0.1,
  'iam:GetPolicy': 0.1,
});

function configRecorders(world: World, inv: AccountInventory): Actor[] {
  const account = inv.account;
  return [...inv.regions.keys()].map((region) => {
    const home = region === account.homeRegion;
    return roleWorkload(world, {
      key: `config:${account.id}:${region}`,
      account,
      region,
      share: home ? 1 : 0.25,
      schedule: { kind: 'periodic', everyMinutes: home ? 20 : 60 },
      tasks: tasks([configSweep, 1]),
      errorRate: 0.05,
      roleName: 'AWSServiceRoleForConfig',
      rolePath: '/aws-service-role/config.amazonaws.com/',
      sessionMinutes: 180,
      sessionName: () => 'AWSConfig-Describe',
      ip: () => 'config.amazonaws.com',
      userAgent: 'config.amazonaws.com',
      assumedBy: 'config.amazonaws.com',
      invokedBy: 'config.amazonaws.com',
    });
  });
}

const terraformPlan = task('terraform-plan', 'terraform', [40, 160], 0.25, {
  'sts:GetCallerIdentity': 1,
  'ec2:DescribeVpcs': 2,
  'ec2:DescribeSubnets': 3,
  'ec2:DescribeSecurityGroups': 4,
  'ec2:DescribeSecurityGroupRules': 2,
  'ec2:DescribeRouteTables': 2,
  'ec2:DescribeVpcEndpoints': 1,
  'ec2:DescribeNatGateways': 1,
  'ec2:DescribeLaunchTemplates': 1,
  'ec2:DescribeLaunchTemplateVersions': 1,
  'ec2:DescribeImages': 1,
  'ec2:DescribeAvailabilityZones': 1,
  'ec2:DescribeAccountAttributes': 0.5,
  'ec2:DescribeInstanceTypes': 0.5,
  'ec2:DescribePrefixLists': 0.5,
  'iam:GetRole': 3,
  'iam:ListRolePolicies': 2,
  'iam:ListAttachedRolePolicies': 2,
  'iam:GetRolePolicy': 1,
  'iam:GetPolicy': 1,
  'iam:GetPolicyVersion': 1,
  'iam:ListInstanceProfilesForRole': 0.5,
  'lambda:GetFunction20150331v2': 2,
  'lambda:ListVersionsByFunction20150331': 1,
  'lambda:GetFunctionCodeSigningConfig': 1,
  'lambda:GetPolicy20150331v2': 1,
  'lambda:ListTags20170331': 0.5,
  'lambda:GetFunctionUrlConfig': 0.3,
  'logs:DescribeLogGroups': 2,
  'logs:ListTagsForResource': 1,
  'kms:DescribeKey': 1,
  'kms:GetKeyPolicy': 1,
  'kms:GetKeyRotationStatus': 1,
  'kms:ListResourceTags': 1,
  'kms:ListAliases': 0.5,
  'rds:DescribeDBClusters': 1,
  'rds:DescribeDBSubnetGroups': 1,
  'rds:DescribeDBClusterParameterGroups': 0.5,
  'rds:ListTagsForResource': 0.5,
  'ecs:DescribeServices': 1,
  'ecs:DescribeTaskDefinition': 1,
  'ecs:DescribeClusters': 0.5,
  'ecr:DescribeRepositories': 0.5,
  'dynamodb:DescribeTable': 1,
  'dynamodb:DescribeContinuousBackups': 1,
  'dynamodb:DescribeTimeToLive': 1,
  'dynamodb:ListTagsOfResource': 0.5,
  'sqs:GetQueueAttributes': 1,
  'sqs:ListQueueTags': 0.5,
  'sns:GetTopicAttributes': 1,
  'route53:GetHostedZone': 0.5,
  'route53:ListResourceRecordSets': 0.5,
  'route53:ListTagsForResource': 0.3,
  's3:GetBucketPolicy': 1,
  's3:GetBucketVersioning': 1,
  's3:GetBucketAcl': 1,
  's3:GetBucketCors': 0.5,
  's3:GetBucketWebsite': 0.5,
  's3:GetAccelerateConfiguration': 0.5,
  's3:GetBucketRequestPayment': 0.5,
  's3:GetBucketLogging': 0.5,
  's3:GetBucketLifecycle': 0.5,
  's3:GetBucketReplication': 0.5,
  's3:GetBucketEncryption': 0.5,
  's3:GetBucketObjectLockConfiguration': 0.3,
  's3:GetBucketTagging': 0.5,
  'elasticloadbalancing:DescribeLoadBalancers': 1,
  'elasticloadbalancing:DescribeLoadBalancerAttributes': 1,
  'elasticloadbalancing:DescribeTargetGroups': 1,
  'elasticloadbalancing:DescribeTargetGroupAttributes': 1,
  'elasticloadbalancing:DescribeListeners': 0.5,
  'elasticloadbalancing:DescribeTags': 1,
  'autoscaling:DescribeAutoScalingGroups': 0.5,
  'autoscaling:DescribeLifecycleHooks': 0.3,
  'acm:DescribeCertificate': 0.5,
  'acm:ListTagsForCertificate': 0.5,
  'ssm:GetParameter': 1,
  'secretsmanager:DescribeSecret': 1,
  'secretsmanager:GetResourcePolicy': 0.5,
  'events:DescribeRule': 0.5,
  'events:ListTargetsByRule': 0.5,
  'states:DescribeStateMachine': 0.3,
  'cloudfront:GetDistribution': 0.3,
  'apigateway:GetStages': 0.3,
  'monitoring:DescribeAlarms': 0.5,
});

const deployEcs = task(
  'deploy-ecs',
  'cli',
  [8, 40],
  4,
  {
    'ecr:BatchCheckLayerAvailability': 2,
    'ecr:InitiateLayerUpload': 1,
    'ecr:CompleteLayerUpload': 1,
    'ecr:PutImage': 0.5,
    'ecs:DescribeTaskDefinition': 1,
    'ecs:RegisterTaskDefinition': 0.5,
    'ecs:UpdateService': 0.5,
    'ecs:DescribeServices': 8,
    'ecs:RunTask': 0.2,
    'ecs:DescribeTasks': 1,
  },
  { opening: ['sts:GetCallerIdentity', 'ecr:GetAuthorizationToken'] },
);

const deployLambda = task(
  'deploy-lambda',
  'cli',
  [4, 16],
  3,
  {
    'lambda:GetFunction20150331v2': 4,
    'lambda:GetFunctionConfiguration20150331v2': 3,
    'lambda:UpdateFunctionCode20150331v2': 1,
    'lambda:PublishVersion20150331': 0.5,
    'lambda:UpdateFunctionConfiguration20150331v2': 0.3,
    'cloudfront:CreateInvalidation': 0.2,
    's3:ListBuckets': 0.2,
  },
  { opening: ['sts:GetCallerIdentity'] },
);

const cdkDeploy = task('cdk-deploy', 'sdk', [10, 50], 3, {
  'cloudformation:DescribeStacks': 4,
  'cloudformation:GetTemplate': 1,
  'cloudformation:DescribeChangeSet': 6,
  'cloudformation:ExecuteChangeSet': 0.5,
  'cloudformation:CreateChangeSet': 0.5,
  'cloudformation:DescribeStackEvents': 8,
  'cloudformation:DeleteChangeSet': 0.2,
  'cloudformation:ListExports': 0.3,
  'ssm:GetParameter': 1,
  's3:GetBucketLocation': 0.5,
  'sts:GetCallerIdentity': 0.5,
});

const RUNNER_PREFIXES = ['4.148', '4.175', '13.105', '20.57', '20.102', '20.171', '40.84', '52.176', '172.183'];
const REPOS = ['api', 'web', 'worker', 'infrastructure', 'data-pipelines'];

/** GitHub Actions deploying through OIDC; every run is its own session, tagged with who pushed. */
function githubActions(world: World, account: Account, share: number): Actor {
  const roleName = 'github-actions-deploy';
  const roleId = `AROA${SeededRandom.from(world.seed, 'role-id', account.id, roleName).upperAlnum(17)}`;
  const provider = 'token.actions.githubusercontent.com';
  const org = world.org.domain.split('.')[0]!;
  const developers = world.directory.people.filter((p) => p.team === 'developer' || p.team === 'platform');
  const t = tasks([terraformPlan, 4], [deployEcs, 2], [deployLambda, 2], [cdkDeploy, 1.5]);
  const sessionKey = (b: Burst): string => `run|${b.variant}`;
  return {
    key: `ci:${account.id}`,
    share,
    schedule: { kind: 'ci' },
    roles: single(account, roleName, t, account.homeRegion),
    errorRate: 0.01,
    sessionKey,
    caller(burst, day) {
      return day.remember(`ci|${account.id}|${burst.variant}|${burst.task.name}`, (): Caller => {
        const r = SeededRandom.from(world.seed, 'ci-run', account.id, burst.variant);
        const ip = `${r.pick(RUNNER_PREFIXES)}.${r.between(0, 255)}.${r.between(1, 254)}`;
        const pusher = r.pick(developers);
        const subject = `repo:${org}/${r.pick(REPOS)}:ref:refs/heads/main`;
        const session: RoleSession = {
          accountId: account.id,
          roleName,
          rolePath: '/',
          roleId,
          sessionName: 'GitHubActions',
          accessKeyId: `ASIA${r.upperAlnum(16)}`,
          creationDate: burst.sessionStart - 3_000,
          mfaAuthenticated: false,
          webIdFederationProvider: provider,
          ...(r.chance(0.6) ? { sourceIdentity: pusher.userName } : {}),
        };
        const agent = burst.task.channel === 'terraform' ? TERRAFORM : burst.task.channel === 'cli' ? CI_CLI : CDK;
        const caller = roleSessionCaller(session, ip, userAgentFor(burst.task.channel, agent));
        const oidc: Caller = {
          userIdentity: webIdentityUser(account, provider, subject),
          sourceIPAddress: ip,
          userAgent: () =>
            'aws-sdk-js/3.675.0 ua/2.1 os/linux#6.8.0-1015-azure lang/js md/nodejs#20.18.0 api/sts#3.675.0 configure-aws-credentials-for-github-actions',
          arn: subject,
          tls: 'TLSv1.3',
        };
        day.recorder.record(oidc, STS_WEB_IDENTITY, account, account.homeRegion, session.creationDate, {
          error: null,
          shape: (c) => {
            const assumed = assumeRoleShape(c, roleArn(account.id, roleName), 'GitHubActions', session.accessKeyId);
            return {
              request: `{"roleArn":"${roleArn(account.id, roleName)}","roleSessionName":"GitHubActions","durationSeconds":3600${session.sourceIdentity ? `,"sourceIdentity":"${session.sourceIdentity}"` : ''}}`,
              response: `${assumed.response!.slice(0, -1)},"subjectFromWebIdentityToken":"${subject}","provider":"arn:aws:iam::${account.id}:oidc-provider/${provider}","audience":"sts.amazonaws.com"${session.sourceIdentity ? `,"sourceIdentity":"${session.sourceIdentity}"` : ''}}`,
              ...(assumed.resources ? { resources: assumed.resources } : {}),
            };
          },
        });
        return caller;
      });
    },
  };
}

const cfnOnBehalf = task('cloudformation-update', 'service', [3, 20], 2, {
  'lambda:UpdateFunctionConfiguration20150331v2': 1,
  'lambda:GetFunction20150331v2': 2,
  'iam:GetRole': 1,
  'iam:PutRolePolicy': 0.5,
  'iam:GetRolePolicy': 1,
  'logs:PutRetentionPolicy': 0.5,
  'logs:CreateLogGroup': 0.2,
  'ecs:RegisterTaskDefinition': 0.5,
  'ecs:UpdateService': 0.5,
  'ecs:DescribeServices': 2,
  'ssm:GetParameters': 1,
  'sns:SetTopicAttributes': 0.2,
  'events:PutRule': 0.3,
  'events:PutTargets': 0.3,
  'ec2:DescribeSecurityGroups': 1,
  'ec2:AuthorizeSecurityGroupIngress': 0.2,
  'dynamodb:DescribeTable': 1,
  'dynamodb:UpdateTable': 0.1,
  'sqs:SetQueueAttributes': 0.2,
  'monitoring:PutMetricAlarm': 0.3,
});

function cloudFormation(world: World, account: Account, share: number): Actor {
  return roleWorkload(world, {
    key: `cloudformation:${account.id}`,
    account,
    region: account.homeRegion,
    share,
    schedule: { kind: 'ci' },
    tasks: tasks([cfnOnBehalf, 1]),
    errorRate: 0.02,
    roleName: 'cdk-hnb659fds-cfn-exec-role',
    sessionMinutes: 60,
    sessionName: () => 'AWSCloudFormation',
    ip: () => 'cloudformation.amazonaws.com',
    userAgent: 'cloudformation.amazonaws.com',
    assumedBy: 'cloudformation.amazonaws.com',
    invokedBy: 'cloudformation.amazonaws.com',
  });
}

const scannerSweep = (regions: readonly string[]): Task =>
  task(
    'security-scan',
    'sdk',
    [60, 200],
    0.3,
    {
      'ec2:DescribeSecurityGroups': 4,
      'ec2:DescribeInstances': 3,
      'ec2:DescribeVolumes': 1,
      'ec2:DescribeSnapshots': 1,
      'ec2:DescribeImages': 1,
      'ec2:DescribeNetworkAcls': 1,
      'ec2:DescribeVpcs': 1,
      'ec2:DescribeRegions': 0.5,
      'ec2:DescribeAddresses': 0.5,
      'ec2:DescribeInstanceAttribute': 0.5,
      's3:ListBuckets': 0.5,
      's3:GetBucketPolicy': 1,
      's3:GetBucketPolicyStatus': 1,
      's3:GetBucketPublicAccessBlock': 1,
      's3:GetBucketAcl': 1,
      's3:GetBucketEncryption': 1,
      's3:GetBucketLogging': 1,
      's3:GetBucketVersioning': 1,
      'iam:GetAccountAuthorizationDetails': 0.5,
      'iam:GenerateCredentialReport': 0.3,
      'iam:GetCredentialReport': 0.3,
      'iam:ListUsers': 0.5,
      'iam:ListRoles': 0.5,
      'iam:ListPolicies': 0.5,
      'iam:GetAccountPasswordPolicy': 0.3,
      'iam:GetAccountSummary': 0.3,
      'iam:ListAccessKeys': 1,
      'iam:ListMFADevices': 0.5,
      'kms:ListKeys': 1,
      'kms:GetKeyRotationStatus': 1,
      'kms:GetKeyPolicy': 1,
      'cloudtrail:DescribeTrails': 1,
      'cloudtrail:GetTrailStatus': 1,
      'cloudtrail:GetEventSelectors': 1,
      'config:DescribeConfigurationRecorders': 0.5,
      'config:DescribeConfigurationRecorderStatus': 0.5,
      'guardduty:ListDetectors': 0.5,
      'guardduty:GetDetector': 0.5,
      'securityhub:DescribeHub': 0.3,
      'access-analyzer:ListAnalyzers': 0.5,
      'lambda:ListFunctions20150331': 1,
      'lambda:GetPolicy20150331v2': 1,
      'rds:DescribeDBInstances': 1,
      'rds:DescribeDBSnapshots': 0.5,
      'rds:DescribeDBClusterSnapshots': 0.5,
      'sns:ListTopics': 0.5,
      'sns:GetTopicAttributes': 0.5,
      'sqs:ListQueues': 0.5,
      'sqs:GetQueueAttributes': 0.5,
      'logs:DescribeLogGroups': 0.5,
      'logs:DescribeMetricFilters': 0.5,
      'monitoring:DescribeAlarms': 0.5,
      'secretsmanager:ListSecrets': 0.5,
      'ssm:DescribeParameters': 0.3,
      'acm:ListCertificates': 0.3,
      'elasticloadbalancing:DescribeLoadBalancers': 0.5,
      'elasticloadbalancing:DescribeLoadBalancerAttributes': 0.5,
      'ecr:DescribeRepositories': 0.3,
    },
    { sweepRegions: regions },
  );

/** The management account's scanner Lambda, assuming SecurityAuditRole in one account every night. */
function securityScanner(world: World, target: Account): Actor {
  const management = world.org.accounts[0]!;
  const home = world.inventories[0]!.region(management.homeRegion);
  const roleName = 'SecurityAuditRole';
  const roleId = `AROA${SeededRandom.from(world.seed, 'role-id', target.id, roleName).upperAlnum(17)}`;
  const scannerRoleId = `AROA${SeededRandom.from(world.seed, 'role-id', management.id, 'security-scanner-role').upperAlnum(17)}`;
  const sessionKey = (b: Burst): string => `scan|${b.day}`;
  return {
    key: `scanner:${target.id}`,
    share: 1.5,
    schedule: { kind: 'nightly', utcMinutes: [utc(4, 10 * target.index)] },
    roles: single(target, roleName, tasks([scannerSweep(world.org.enabledRegions), 1]), target.homeRegion),
    errorRate: 0.05,
    sessionKey,
    caller(burst, day) {
      return day.remember(`scanner|${target.id}|${burst.day}`, (): Caller => {
        const r = SeededRandom.from(world.seed, 'scanner', target.id, burst.day);
        const ip = home.natGatewayIps[0]!;
        const lambdaSession: RoleSession = {
          accountId: management.id,
          roleName: 'security-scanner-role',
          rolePath: '/',
          roleId: scannerRoleId,
          sessionName: 'security-scanner',
          accessKeyId: `ASIA${r.upperAlnum(16)}`,
          creationDate: burst.sessionStart - 120_000,
          mfaAuthenticated: false,
        };
        const session: RoleSession = {
          accountId: target.id,
          roleName,
          rolePath: '/',
          roleId,
          sessionName: `security-scanner-${dayOf(burst.start).replace(/-/g, '')}`,
          accessKeyId: `ASIA${r.upperAlnum(16)}`,
          creationDate: burst.sessionStart - 2_000,
          mfaAuthenticated: false,
        };
        const scanner = roleSessionCaller(lambdaSession, ip, userAgentFor('sdk', LAMBDA_PYTHON));
        const shared = r.uuid();
        const arn = roleArn(target.id, roleName);
        const shape = (c: Parameters<typeof assumeRoleShape>[0]) => assumeRoleShape(c, arn, session.sessionName, session.accessKeyId, 3600);
        day.recorder.record(scanner, STS_ASSUME_ROLE, target, management.homeRegion, session.creationDate, {
          error: null,
          shape,
          ...(target.id !== management.id ? { sharedEventID: shared } : {}),
        });
        if (target.id !== management.id) {
          day.recorder.record(scanner, STS_ASSUME_ROLE, management, management.homeRegion, session.creationDate, {
            error: null,
            shape,
            sharedEventID: shared,
          });
        }
        return roleSessionCaller(session, ip, userAgentFor('sdk', LAMBDA_PYTHON));
      });
    },
  };
}

/** An on-premises job with an IAM user's access key, from the data center's address. */
function serviceUser(world: World, user: IamUser, key: string, share: number, schedule: Schedule, t: WeightedChoice<Task>): Actor {
  return {
    key,
    share,
    schedule,
    roles: single(user.account, user.userName, t, user.account.homeRegion),
    errorRate: 0.01,
    sessionKey: () => 'key',
    caller: (_burst, day) =>
      day.remember(key, () => iamUserCaller(user, world.directory.datacenterIp, () => OLD_BOTO, iamUserIdentity(user))),
  };
}

function autoScaling(world: World, account: Account): Actor {
  return roleWorkload(world, {
    key: `autoscaling:${account.id}`,
    account,
    region: account.homeRegion,
    share: 0.25,
    schedule: { kind: 'clock', profile: 'customers' },
    tasks: tasks([
      task('scale', 'service', [1, 3], 20, {
        'ec2:RunInstances': 1,
        'ec2:TerminateInstances': 1,
        'elasticloadbalancing:RegisterTargets': 0.5,
        'elasticloadbalancing:DeregisterTargets': 0.5,
      }),
      1,
    ]),
    errorRate: 0.005,
    roleName: 'AWSServiceRoleForAutoScaling',
    rolePath: '/aws-service-role/autoscaling.amazonaws.com/',
    sessionMinutes: 60,
    sessionName: () => 'AutoScaling',
    ip: () => 'autoscaling.amazonaws.com',
    userAgent: 'autoscaling.amazonaws.com',
    invokedBy: 'autoscaling.amazonaws.com',
  });
}

function secretRotation(account: Account): Actor {
  const caller = serviceCaller(serviceEventIdentity(account, 'secretsmanager.amazonaws.com'), 'secretsmanager.amazonaws.com');
  return {
    key: `rotation:${account.id}`,
    share: 0.02,
    schedule: { kind: 'nightly', utcMinutes: [utc(5)] },
    roles: single(
      account,
      'rotation',
      tasks([
        task('rotate', 'service', [2, 2], 30, { 'secretsmanager:RotationSucceeded': 1 }, { opening: ['secretsmanager:RotationStarted'] }),
        1,
      ]),
      account.homeRegion,
    ),
    errorRate: 0,
    sessionKey: () => 'rotation',
    caller: () => caller,
  };
}

/** Every automated actor of the organization. */
export function workloadActors(world: World): Actor[] {
  const actors: Actor[] = [];
  const { directory } = world;
  for (const inv of world.inventories) {
    const account = inv.account;
    const runsProduction = inv.dataEventBuckets.some((b) => b.keyStyle === 'exports');
    actors.push(...lambdaFunctions(world, inv), ...ecsServices(world, inv), ...instanceAgents(world, inv), ...configRecorders(world, inv));
    actors.push(securityScanner(world, account));
    if (runsProduction) {
      actors.push(
        githubActions(world, account, 4),
        cloudFormation(world, account, 0.6),
        autoScaling(world, account),
        secretRotation(account),
      );
    } else if (account.role === 'staging') {
      actors.push(githubActions(world, account, 5), cloudFormation(world, account, 0.8));
    }
  }
  const production = directory.reportingUser.account;
  const prodInv = world.inventories[production.index]!;
  actors.push(
    serviceUser(
      world,
      directory.reportingUser,
      'svc-reporting',
      0.6,
      { kind: 'nightly', utcMinutes: [utc(7)], weekdaysOnly: true },
      tasks([
        task(
          'reporting',
          'sdk',
          [6, 30],
          3,
          {
            'athena:StartQueryExecution': 2,
            'athena:GetQueryExecution': 6,
            'athena:GetQueryResults': 2,
            's3:PutObject': 2,
            's3:ListObjects': 1,
            's3:GetObject': 1,
          },
          { buckets: bucketsOf(prodInv, 'reports') },
        ),
        1,
      ]),
    ),
    serviceUser(
      world,
      directory.backupUser,
      'svc-backup',
      0.5,
      { kind: 'nightly', utcMinutes: [utc(1)] },
      tasks([
        task('backup', 'sdk', [4, 14], 5, {
          'rds:DescribeDBClusters': 1,
          'rds:CreateDBClusterSnapshot': 0.5,
          'rds:DescribeDBClusterSnapshots': 4,
          'rds:DeleteDBClusterSnapshot': 0.5,
          's3:ListBuckets': 0.5,
          's3:GetBucketLocation': 0.5,
          'dynamodb:CreateBackup': 0.5,
          'dynamodb:ListBackups': 1,
        }),
        1,
      ]),
    ),
  );
  return actors;
}
