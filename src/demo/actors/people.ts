/**
 * People at work: what each team does in the console and the CLI, signed in through IAM
 * Identity Center (or, for two old-timers, with an IAM user's access key), from the office or
 * from home, in office hours of their own time zone.
 *
 * Each working day opens a session per account and permission set: the portal's `Federate`
 * and a `ConsoleLogin` for the console, `GetRoleCredentials` for the CLI. Those are the
 * records seed 000's ConsoleLogin audit lists.
 */
import type { Actor, ActorRole, Burst, DayActivity, Task } from '../activity.js';
import { consoleLoginShape } from '../catalog/identity-calls.js';
import { apiCall } from '../event-catalog.js';
import type { Caller } from '../event-recorder.js';
import { identityCenterUser, rootIdentity, type Person, type RoleSession } from '../identities.js';
import type { AccountInventory } from '../inventory.js';
import { accountFor, type Account } from '../organization.js';
import { SeededRandom, WeightedChoice } from '../random.js';
import { formatEventTime } from '../record-writer.js';
import { isWeekend } from '../schedule.js';
import type { World } from '../world.js';
import { iamUserCaller, roleSessionCaller } from './callers.js';
import { task, tasks } from './task.js';
import { TERRAFORM, userAgentFor } from './user-agents.js';

const SSO_FEDERATE = apiCall('sso:Federate');
const SSO_LIST_ACCOUNTS = apiCall('sso:ListAccounts');
const SSO_LIST_ACCOUNT_ROLES = apiCall('sso:ListAccountRoles');
const SSO_ROLE_CREDENTIALS = apiCall('sso:GetRoleCredentials');
const SSO_CREATE_TOKEN = apiCall('sso-oauth:CreateToken');
const CONSOLE_LOGIN = apiCall('signin:ConsoleLogin');

/** A session signs in this long before its first calls; its credentials date from the sign-in. */
const SIGN_IN_LEAD_MS = 20_000;

const consoleDebug = task('console-debug', 'console', [5, 28], 20, {
  'ec2:DescribeInstances': 3,
  'ec2:DescribeSecurityGroups': 1,
  'ec2:DescribeInstanceStatus': 1,
  'logs:DescribeLogGroups': 2,
  'logs:DescribeLogStreams': 2,
  'logs:FilterLogEvents': 3,
  'logs:GetLogEvents': 3,
  'logs:StartQuery': 1,
  'logs:GetQueryResults': 2,
  'lambda:ListFunctions20150331': 2,
  'lambda:GetFunction20150331v2': 2,
  'lambda:GetFunctionConfiguration20150331v2': 1,
  'monitoring:DescribeAlarms': 2,
  'monitoring:GetMetricData': 4,
  'ecs:DescribeServices': 2,
  'ecs:ListTasks': 1,
  'ecs:DescribeTasks': 1,
  'ecs:DescribeClusters': 1,
  'cloudformation:DescribeStacks': 1,
  'cloudformation:DescribeStackEvents': 1,
  'dynamodb:DescribeTable': 1,
  'dynamodb:ListTables': 1,
  'sqs:GetQueueAttributes': 1,
  'sqs:ListQueues': 1,
  's3:ListBuckets': 1,
  's3:GetBucketLocation': 1,
  'elasticloadbalancing:DescribeTargetHealth': 1,
  'states:ListExecutions': 1,
  'health:DescribeEvents': 0.2,
  'servicequotas:ListServiceQuotas': 0.1,
  'ecr:DescribeImages': 0.5,
  'apigateway:GetRestApis': 0.3,
});

const cliInspect = task('cli-inspect', 'cli', [2, 14], 9, {
  'sts:GetCallerIdentity': 2,
  'ecs:DescribeServices': 2,
  'ecs:ListTasks': 1,
  'logs:FilterLogEvents': 2,
  'logs:StartQuery': 1,
  'logs:GetQueryResults': 2,
  'lambda:GetFunctionConfiguration20150331v2': 1,
  'ssm:GetParameter': 2,
  'ssm:GetParametersByPath': 1,
  'secretsmanager:DescribeSecret': 1,
  'ec2:DescribeInstances': 2,
  's3:ListBuckets': 1,
  'sqs:GetQueueAttributes': 1,
  'ecr:DescribeImages': 1,
  'ecr:GetAuthorizationToken': 1,
  'cloudformation:DescribeStacks': 1,
  'rds:DescribeDBInstances': 0.5,
  'kms:DescribeKey': 0.3,
});

function stagingChanges(inv: AccountInventory): Task {
  return task(
    'change-things',
    'console',
    [4, 18],
    30,
    {
      'ec2:DescribeInstances': 4,
      'ec2:DescribeSecurityGroups': 2,
      'ec2:RunInstances': 0.6,
      'ec2:TerminateInstances': 0.5,
      'ec2:StopInstances': 0.4,
      'ec2:StartInstances': 0.4,
      'ec2:CreateTags': 1,
      'ec2:AuthorizeSecurityGroupIngress': 0.6,
      'ec2:RevokeSecurityGroupIngress': 0.3,
      'ec2:CreateSecurityGroup': 0.3,
      'ec2:DescribeSubnets': 1,
      'ec2:DescribeImages': 1,
      'ec2:DescribeKeyPairs': 0.5,
      'lambda:UpdateFunctionConfiguration20150331v2': 0.6,
      'ssm:PutParameter': 0.5,
      'ssm:StartSession': 0.8,
      'ecs:UpdateService': 0.5,
      'ecs:RunTask': 0.3,
      'sqs:PurgeQueue': 0.2,
      's3:PutObject': 0.8,
      's3:GetObject': 1,
      's3:ListObjects': 1,
      'route53:ChangeResourceRecordSets': 0.3,
      'route53:ListResourceRecordSets': 0.6,
      'dynamodb:UpdateTimeToLive': 0.1,
    },
    { buckets: inv.buckets },
  );
}

const manualDeploy = task('manual-deploy', 'cli', [3, 12], 6, {
  'lambda:UpdateFunctionCode20150331v2': 1,
  'lambda:GetFunction20150331v2': 3,
  'lambda:PublishVersion20150331': 0.5,
  'ecs:UpdateService': 1,
  'ecs:DescribeServices': 4,
  'ecs:DescribeTaskDefinition': 1,
  'cloudfront:CreateInvalidation': 0.5,
  'sts:GetCallerIdentity': 1,
});

const consoleOps = task('console-ops', 'console', [6, 30], 18, {
  'ec2:DescribeInstances': 3,
  'ec2:DescribeVpcs': 1,
  'ec2:DescribeSubnets': 1,
  'ec2:DescribeSecurityGroups': 2,
  'ec2:DescribeVolumes': 1,
  'ec2:DescribeSnapshots': 0.5,
  'ec2:DescribeAddresses': 0.5,
  'ec2:DescribeNatGateways': 0.5,
  'rds:DescribeDBInstances': 1,
  'rds:DescribeDBClusters': 1,
  'rds:DescribeEvents': 0.5,
  'ecs:DescribeClusters': 1,
  'ecs:DescribeServices': 1,
  'elasticloadbalancing:DescribeLoadBalancers': 1,
  'elasticloadbalancing:DescribeTargetGroups': 1,
  'autoscaling:DescribeAutoScalingGroups': 1,
  'monitoring:DescribeAlarms': 2,
  'monitoring:GetMetricData': 3,
  'cloudformation:ListStacks': 1,
  'cloudformation:DescribeStacks': 1,
  'logs:DescribeLogGroups': 1,
  'logs:FilterLogEvents': 1,
  'health:DescribeEvents': 0.5,
  'health:DescribeEventAggregates': 0.3,
  's3:ListBuckets': 1,
  's3:GetBucketPolicy': 0.5,
  's3:GetBucketVersioning': 0.3,
  's3:GetBucketEncryption': 0.3,
  'servicequotas:GetServiceQuota': 0.2,
  'tagging:GetResources': 0.3,
  'ec2:StopInstances': 0.2,
  'ec2:CreateTags': 0.4,
  'rds:CreateDBClusterSnapshot': 0.1,
  'ec2:CreateSnapshot': 0.2,
  'ec2:ModifyInstanceAttribute': 0.1,
  'autoscaling:UpdateAutoScalingGroup': 0.1,
});

const network = task('network', 'console', [4, 20], 25, {
  'ec2:DescribeVpcs': 2,
  'ec2:DescribeSubnets': 2,
  'ec2:DescribeRouteTables': 2,
  'ec2:DescribeSecurityGroups': 4,
  'ec2:DescribeSecurityGroupRules': 3,
  'ec2:GetSecurityGroupsForVpc': 0.5,
  'ec2:DescribeNetworkInterfaces': 1,
  'ec2:DescribeNatGateways': 1,
  'ec2:DescribeVpcEndpoints': 1,
  'ec2:DescribeNetworkAcls': 1,
  'ec2:DescribePrefixLists': 0.3,
  'ec2:AuthorizeSecurityGroupIngress': 1,
  'ec2:AuthorizeSecurityGroupEgress': 0.4,
  'ec2:RevokeSecurityGroupIngress': 0.5,
  'ec2:CreateSecurityGroup': 0.3,
  'elasticloadbalancing:DescribeListeners': 1,
  'elasticloadbalancing:DescribeRules': 1,
});

const iamAdmin = task('iam-admin', 'console', [4, 20], 22, {
  'iam:ListRoles': 2,
  'iam:GetRole': 3,
  'iam:ListAttachedRolePolicies': 2,
  'iam:ListRolePolicies': 1,
  'iam:GetRolePolicy': 1,
  'iam:ListPolicies': 1,
  'iam:GetPolicy': 1,
  'iam:GetPolicyVersion': 1,
  'iam:ListUsers': 1,
  'iam:ListAccessKeys': 1,
  'iam:GetAccessKeyLastUsed': 1,
  'iam:ListRoleTags': 0.5,
  'iam:ListInstanceProfilesForRole': 0.5,
  'iam:CreateRole': 0.2,
  'iam:AttachRolePolicy': 0.3,
  'iam:DetachRolePolicy': 0.1,
  'iam:PutRolePolicy': 0.3,
  'iam:TagRole': 0.3,
  'iam:CreatePolicyVersion': 0.1,
  'iam:UpdateAccessKey': 0.1,
  'iam:DeleteAccessKey': 0.05,
  'iam:CreateServiceLinkedRole': 0.05,
  'iam:SimulatePrincipalPolicy': 0.3,
  'iam:GenerateServiceLastAccessedDetails': 0.2,
  'access-analyzer:ListFindings': 0.3,
});

const dnsEdge = task('dns-and-edge', 'console', [3, 14], 25, {
  'route53:ListHostedZones': 2,
  'route53:GetHostedZone': 1,
  'route53:ListResourceRecordSets': 3,
  'route53:ChangeResourceRecordSets': 1.2,
  'route53:GetChange': 1,
  'route53:ListHealthChecks': 0.3,
  'route53:GetHostedZoneCount': 0.3,
  'route53:ListTagsForResource': 0.3,
  'cloudfront:ListDistributions': 1,
  'cloudfront:GetDistribution': 1,
  'cloudfront:GetDistributionConfig': 0.5,
  'cloudfront:ListInvalidations': 0.5,
  'cloudfront:CreateInvalidation': 0.4,
  'acm:ListCertificates': 1,
  'acm:DescribeCertificate': 1,
  'acm:RequestCertificate': 0.05,
});

const terraformLocal = task('terraform-plan', 'terraform', [20, 70], 0.4, {
  'sts:GetCallerIdentity': 1,
  'ec2:DescribeVpcs': 2,
  'ec2:DescribeSubnets': 3,
  'ec2:DescribeSecurityGroups': 4,
  'ec2:DescribeRouteTables': 2,
  'ec2:DescribeVpcEndpoints': 1,
  'ec2:DescribeNatGateways': 1,
  'ec2:DescribeLaunchTemplates': 1,
  'ec2:DescribeLaunchTemplateVersions': 1,
  'iam:GetRole': 3,
  'iam:ListRolePolicies': 2,
  'iam:ListAttachedRolePolicies': 2,
  'iam:GetPolicy': 1,
  'iam:GetPolicyVersion': 1,
  'lambda:GetFunction20150331v2': 2,
  'lambda:ListVersionsByFunction20150331': 1,
  'lambda:GetFunctionCodeSigningConfig': 1,
  'lambda:GetPolicy20150331v2': 1,
  'logs:DescribeLogGroups': 2,
  'logs:ListTagsForResource': 1,
  'kms:DescribeKey': 1,
  'kms:GetKeyPolicy': 1,
  'kms:GetKeyRotationStatus': 1,
  'kms:ListResourceTags': 1,
  'rds:DescribeDBClusters': 1,
  'rds:DescribeDBSubnetGroups': 1,
  'ecs:DescribeServices': 1,
  'ecs:DescribeTaskDefinition': 1,
  'dynamodb:DescribeTable': 1,
  'dynamodb:DescribeContinuousBackups': 1,
  'dynamodb:DescribeTimeToLive': 1,
  'sqs:GetQueueAttributes': 1,
  'sns:GetTopicAttributes': 1,
  'route53:GetHostedZone': 0.5,
  'route53:ListResourceRecordSets': 0.5,
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
  'elasticloadbalancing:DescribeTargetGroupAttributes': 1,
  'elasticloadbalancing:DescribeTags': 1,
  'acm:DescribeCertificate': 0.5,
  'acm:ListTagsForCertificate': 0.5,
  'ssm:GetParameter': 1,
  'secretsmanager:DescribeSecret': 1,
  'secretsmanager:GetResourcePolicy': 0.5,
  'events:DescribeRule': 0.5,
  'events:ListTargetsByRule': 0.5,
});

const kmsSecrets = task('keys-and-secrets', 'cli', [3, 10], 10, {
  'kms:ListKeys': 1,
  'kms:ListAliases': 2,
  'kms:DescribeKey': 2,
  'kms:GetKeyPolicy': 1,
  'kms:GetKeyRotationStatus': 1,
  'secretsmanager:ListSecrets': 1,
  'secretsmanager:DescribeSecret': 2,
  'secretsmanager:GetSecretValue': 0.5,
  'secretsmanager:PutSecretValue': 0.1,
  'kms:CreateGrant': 0.05,
});

const orgAdmin = task('organization', 'console', [4, 16], 20, {
  'organizations:DescribeOrganization': 1,
  'organizations:ListAccounts': 2,
  'organizations:ListRoots': 1,
  'organizations:DescribeAccount': 1,
  'organizations:ListOrganizationalUnitsForParent': 1,
  'organizations:ListAccountsForParent': 1,
  'organizations:ListPolicies': 1,
  'organizations:DescribePolicy': 1,
  'organizations:ListDelegatedAdministrators': 0.3,
  'organizations:ListAWSServiceAccessForOrganization': 0.3,
  'organizations:ListTagsForResource': 0.3,
  'sso:ListPermissionSets': 1,
  'sso:ListAccountAssignments': 1,
  'identitystore:ListUsers': 1,
  'identitystore:DescribeUser': 1,
  'identitystore:ListGroups': 1,
  'identitystore:ListGroupMemberships': 0.5,
  'cloudtrail:DescribeTrails': 0.5,
  'cloudtrail:GetTrailStatus': 0.5,
  'cloudtrail:GetEventSelectors': 0.3,
  'ce:GetCostAndUsage': 0.5,
});

const trailReview = task('trail-review', 'console', [4, 20], 25, {
  'cloudtrail:LookupEvents': 5,
  'cloudtrail:DescribeTrails': 1,
  'cloudtrail:GetTrailStatus': 1,
  'cloudtrail:GetEventSelectors': 1,
  'cloudtrail:ListTrails': 0.5,
  'cloudtrail:GetTrail': 0.5,
  'cloudtrail:GetInsightSelectors': 0.3,
  'iam:GenerateCredentialReport': 0.5,
  'iam:GetCredentialReport': 0.5,
  'iam:ListUsers': 1,
  'iam:ListAccessKeys': 1,
  'iam:GetAccessKeyLastUsed': 1,
  'iam:ListMFADevices': 1,
  'iam:ListVirtualMFADevices': 0.3,
  'iam:GetAccountPasswordPolicy': 0.5,
  'iam:GetAccountSummary': 0.5,
  'iam:GetLoginProfile': 0.3,
  'iam:GetAccountAuthorizationDetails': 0.2,
  'sts:DecodeAuthorizationMessage': 0.1,
});

const findings = task('findings', 'console', [4, 20], 30, {
  'guardduty:ListDetectors': 1,
  'guardduty:GetDetector': 1,
  'guardduty:ListFindings': 3,
  'guardduty:GetFindings': 3,
  'guardduty:GetFindingsStatistics': 1,
  'guardduty:ArchiveFindings': 0.3,
  'securityhub:GetFindings': 3,
  'securityhub:DescribeHub': 0.5,
  'securityhub:GetEnabledStandards': 0.5,
  'securityhub:BatchUpdateFindings': 0.3,
  'securityhub:DescribeStandardsControls': 0.5,
  'access-analyzer:ListAnalyzers': 0.5,
  'access-analyzer:ListFindings': 1,
  'access-analyzer:GetFinding': 1,
  'config:DescribeComplianceByConfigRule': 1,
  'config:GetComplianceDetailsByConfigRule': 1,
  'config:DescribeConfigRules': 0.5,
});

function postureCheck(inv: AccountInventory): Task {
  return task(
    'posture-check',
    'cli',
    [5, 30],
    3,
    {
      's3:ListBuckets': 1,
      's3:GetBucketPolicy': 3,
      's3:GetBucketPolicyStatus': 2,
      's3:GetBucketPublicAccessBlock': 2,
      's3:GetBucketAcl': 2,
      's3:GetBucketEncryption': 1,
      's3:GetBucketLogging': 1,
      's3:GetBucketVersioning': 1,
      'ec2:DescribeSecurityGroups': 3,
      'ec2:DescribeSecurityGroupRules': 2,
      'ec2:DescribeInstances': 1,
      'ec2:DescribeVolumes': 1,
      'ec2:DescribeSnapshots': 1,
      'kms:ListKeys': 1,
      'kms:GetKeyRotationStatus': 1,
      'iam:ListUsers': 1,
      'iam:ListAttachedUserPolicies': 1,
      'iam:ListRoles': 1,
      'rds:DescribeDBInstances': 1,
      'rds:DescribeDBSnapshots': 1,
      'lambda:ListFunctions20150331': 1,
      'lambda:GetPolicy20150331v2': 1,
      'ec2:GetConsoleOutput': 0.05,
      'secretsmanager:GetSecretValue': 0.05,
    },
    { buckets: inv.buckets },
  );
}

function athenaSession(inv: AccountInventory): Task {
  return task(
    'athena',
    'console',
    [4, 24],
    20,
    {
      'athena:StartQueryExecution': 3,
      'athena:GetQueryExecution': 6,
      'athena:GetQueryResults': 3,
      'athena:GetQueryRuntimeStatistics': 1,
      'athena:ListWorkGroups': 0.5,
      'athena:GetWorkGroup': 0.5,
      'athena:ListDataCatalogs': 0.5,
      'athena:ListDatabases': 1,
      'athena:ListTableMetadata': 1,
      'athena:GetTableMetadata': 1,
      'athena:ListQueryExecutions': 0.5,
      'glue:GetDatabases': 1,
      'glue:GetTables': 1,
      'glue:GetTable': 1,
      'glue:GetPartitions': 0.5,
    },
    { buckets: inv.buckets },
  );
}

function lakeFiles(inv: AccountInventory): Task {
  return task(
    'lake-files',
    'sdk',
    [3, 25],
    2,
    {
      's3:ListObjects': 3,
      's3:GetObject': 6,
      's3:HeadObject': 2,
      's3:PutObject': 2,
      'glue:GetTable': 1,
      'glue:GetPartitions': 1,
      'glue:BatchCreatePartition': 0.5,
      'glue:StartJobRun': 0.3,
      'glue:GetJobRuns': 0.6,
      'glue:StartCrawler': 0.2,
      'glue:GetCrawler': 0.4,
      'sts:GetCallerIdentity': 0.5,
    },
    { buckets: inv.buckets.filter((b) => b.keyStyle === 'lake' || b.keyStyle === 'reports' || b.keyStyle === 'exports') },
  );
}

function dataConsole(inv: AccountInventory): Task {
  return task(
    'data-console',
    'console',
    [3, 15],
    25,
    {
      's3:ListBuckets': 1,
      's3:GetBucketLocation': 1,
      's3:ListObjects': 3,
      's3:GetObject': 1,
      'glue:GetDatabases': 1,
      'glue:GetTables': 1,
      'glue:GetCrawler': 1,
      'states:ListStateMachines': 0.5,
      'states:ListExecutions': 1,
      'states:DescribeExecution': 1,
      'states:StartExecution': 0.2,
      'logs:FilterLogEvents': 1,
    },
    { buckets: inv.buckets.filter((b) => b.keyStyle !== 'trail') },
  );
}

const costExplorer = task('cost-explorer', 'console', [3, 15], 30, {
  'ce:GetCostAndUsage': 5,
  'ce:GetCostForecast': 2,
  'ce:GetDimensionValues': 2,
  'ce:GetAnomalies': 1,
  'ce:GetSavingsPlansCoverage': 1,
  'organizations:ListAccounts': 1,
  'organizations:DescribeOrganization': 0.5,
});

function repertoire(person: Person, permissionSet: string, account: Account, inv: AccountInventory) {
  switch (person.team) {
    case 'developer':
      if (permissionSet === 'ReadOnlyAccess') return tasks([consoleDebug, 5], [cliInspect, 3]);
      if (permissionSet === 'DeveloperDeploy') return tasks([cliInspect, 2], [manualDeploy, 1]);
      return tasks([consoleDebug, 4], [cliInspect, 3], [stagingChanges(inv), 2.5], [manualDeploy, 0.5]);
    case 'platform':
      if (account.role === 'management' && inv.dataEventBuckets.length === 0) {
        return tasks([orgAdmin, 3], [consoleOps, 1], [iamAdmin, 1], [trailReview, 1]);
      }
      return tasks([consoleOps, 4], [network, 2], [iamAdmin, 2], [dnsEdge, 1], [terraformLocal, 2], [cliInspect, 2], [kmsSecrets, 1]);
    case 'data':
      return tasks([athenaSession(inv), 4], [lakeFiles(inv), 3], [dataConsole(inv), 2]);
    case 'security':
      return tasks([findings, 3], [trailReview, 3], [postureCheck(inv), 2]);
    case 'finance':
      return tasks([costExplorer, 1]);
  }
}

const SHARE = { platform: 2.2, developer: 1.6, data: 1.8, security: 1.4, finance: 0.5 } as const;
const ERROR_RATE = { platform: 0.015, developer: 0.03, data: 0.025, security: 0.06, finance: 0.04 } as const;

/** Office or home: people work from home about a third of the time, and always at weekends. */
function addressOf(world: World, person: Person, day: number): string {
  return isWeekend(day) || SeededRandom.from(world.seed, 'wfh', person.key, day).chance(0.3) ? person.homeIp : person.office.ip;
}

function usesIamUser(person: Person, burst: Burst): boolean {
  return (
    person.iamUser !== undefined &&
    burst.role.account.id === person.iamUser.account.id &&
    burst.task.channel !== 'console' &&
    burst.variant % 10 < 7
  );
}

export function personActor(world: World, person: Person): Actor {
  const roles = new WeightedChoice<ActorRole>(
    person.assignments.map(([ps, weight]) => {
      const inv = world.inventories[ps.account.index]!;
      return [
        {
          account: ps.account,
          label: ps.permissionSet,
          tasks: repertoire(person, ps.permissionSet, ps.account, inv),
          regions: new WeightedChoice(ps.account.workloadRegions),
        },
        weight,
      ] as const;
    }),
  );
  const sessionKey = (b: Burst): string =>
    usesIamUser(person, b)
      ? `iam|${b.day}`
      : `${b.role.account.id}|${b.role.label}|${b.task.channel === 'console' ? 'console' : 'api'}|${b.day}`;
  return {
    key: `person:${person.key}`,
    share: SHARE[person.team],
    schedule: {
      kind: 'office',
      utcOffsetMinutes: person.office.utcOffsetMinutes,
      startMinute: person.startMinute,
      workMinutes: person.workMinutes,
    },
    roles,
    errorRate: ERROR_RATE[person.team],
    sessionKey,
    caller(burst, day) {
      const key = sessionKey(burst);
      const ip = addressOf(world, person, burst.day);
      const base =
        burst.task.channel === 'console'
          ? person.browser
          : burst.task.channel === 'cli'
            ? person.cli
            : burst.task.channel === 'terraform'
              ? TERRAFORM
              : person.sdk;
      const caller = day.remember(`${person.key}|${key}|${burst.task.channel}`, (): Caller => {
        if (usesIamUser(person, burst)) return iamUserCaller(person.iamUser!, ip, userAgentFor(burst.task.channel, base));
        const ps = world.directory.permissionSetRole(burst.role.account, burst.role.label);
        const r = SeededRandom.from(world.seed, 'session', person.key, key);
        const session: RoleSession = {
          accountId: burst.role.account.id,
          roleName: ps.roleName,
          rolePath: '/aws-reserved/sso.amazonaws.com/',
          roleId: ps.roleId,
          sessionName: person.email,
          accessKeyId: `ASIA${r.upperAlnum(16)}`,
          creationDate: burst.sessionStart - SIGN_IN_LEAD_MS,
          mfaAuthenticated: false,
        };
        return roleSessionCaller(session, ip, userAgentFor(burst.task.channel, base), {
          console: burst.task.channel === 'console',
          userName: person.userName,
        });
      });
      if (burst.opensSession && !usesIamUser(person, burst)) openSession(world, day, person, burst, caller, ip);
      return caller;
    },
  };
}

/** The portal and sign-in records that precede a session's first calls. */
function openSession(world: World, day: DayActivity, person: Person, burst: Burst, caller: Caller, ip: string): void {
  const management = world.org.accounts[0]!;
  const region = world.org.identityCenterRegion;
  const r = SeededRandom.from(world.seed, 'portal', person.key, burst.day);
  const portal: Caller = {
    userIdentity: identityCenterUser(world.org, person, r.mixedAlnum(40)),
    sourceIPAddress: ip,
    userAgent: userAgentFor(
      burst.task.channel === 'console' ? 'console' : 'cli',
      burst.task.channel === 'console' ? person.browser : person.cli,
    ),
    arn: `arn:aws:identitystore::${management.id}:user/${person.identityStoreUserId}`,
    tls: 'TLSv1.3',
  };
  const t = burst.sessionStart - SIGN_IN_LEAD_MS;
  const record = day.recorder;
  if (burst.task.channel === 'console') {
    record.record(portal, SSO_LIST_ACCOUNTS, management, region, t - 15_000, { error: null });
    record.record(portal, SSO_LIST_ACCOUNT_ROLES, management, region, t - 9_000, { error: null });
    record.record(portal, SSO_FEDERATE, management, region, t - 4_000, { error: null });
    record.record(caller, CONSOLE_LOGIN, burst.role.account, world.org.globalRegion, t, {
      error: null,
      shape: () => consoleLoginShape(false, burst.region),
    });
  } else {
    if (r.chance(0.4)) record.record(portal, SSO_CREATE_TOKEN, management, region, t - 30_000, { error: null });
    record.record(portal, SSO_ROLE_CREDENTIALS, management, region, t, {
      error: null,
      shape: () => ({ request: `{"roleName":"${burst.role.label}","accountId":"${burst.role.account.id}"}` }),
    });
  }
}

const rootChores = task('root-chores', 'console', [2, 5], 40, {
  'iam:GetAccountSummary': 1,
  'ce:GetCostAndUsage': 2,
  'organizations:DescribeOrganization': 1,
  'iam:ListVirtualMFADevices': 1,
  'iam:GetAccountPasswordPolicy': 0.5,
});

/** A platform lead signs in as root (with MFA) now and then for account-level chores. */
export function rootActor(world: World): Actor {
  const management = accountFor(world.org, 'management');
  const lead = world.directory.people.find((p) => p.team === 'platform')!;
  const mfa = `arn:aws:iam::${management.id}:mfa/root-account-mfa-device`;
  return {
    key: 'root',
    share: 0.012,
    schedule: { kind: 'office', utcOffsetMinutes: lead.office.utcOffsetMinutes, startMinute: lead.startMinute + 60, workMinutes: 360 },
    roles: new WeightedChoice([
      [{ account: management, label: 'root', tasks: tasks([rootChores, 1]), regions: new WeightedChoice([['us-east-1', 1]]) }, 1],
    ]),
    errorRate: 0,
    sessionKey: (b) => `root|${b.variant}`,
    caller(burst, day) {
      const r = SeededRandom.from(world.seed, 'root-session', burst.variant);
      const creation = burst.start - 30_000;
      const identity =
        `{"type":"Root","principalId":"${management.id}","arn":"arn:aws:iam::${management.id}:root","accountId":"${management.id}","accessKeyId":"ASIA${r.upperAlnum(16)}",` +
        `"sessionContext":{"sessionIssuer":{},"webIdFederationData":{},"attributes":{"creationDate":"${formatEventTime(creation)}","mfaAuthenticated":"true"}}}`;
      const caller: Caller = {
        userIdentity: identity,
        sourceIPAddress: lead.office.ip,
        userAgent: userAgentFor('console', lead.browser),
        arn: `arn:aws:iam::${management.id}:root`,
        fromConsole: true,
        tls: 'TLSv1.3',
      };
      day.recorder.record(
        { ...caller, userIdentity: rootIdentity(management), fromConsole: false },
        CONSOLE_LOGIN,
        management,
        world.org.globalRegion,
        creation,
        {
          error: null,
          shape: () => consoleLoginShape(true, 'us-east-1', mfa),
        },
      );
      return caller;
    },
  };
}
