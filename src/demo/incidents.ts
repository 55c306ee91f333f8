/**
 * Seven incidents planted in the middle of the demo range, and the answers that find them.
 *
 * The story: a developer's old IAM access key leaks. From an address nobody in the company
 * uses, the key enumerates the account (many AccessDenied), creates a key for the reporting
 * service user, and with that key stops and deletes the production audit trail, makes the
 * customer-exports bucket public and downloads its objects in a burst. Separately, someone
 * signs in as root without MFA, and an admin opens SSH to the internet "to debug".
 *
 * Each incident lists its eventIDs and an Athena SELECT on `cloudtrail_logs` that returns
 * exactly those events (only functions Trino and DuckDB share, plus `json_extract_scalar`).
 * The everyday activity is built never to match them: no one else opens ingress to 0.0.0.0/0,
 * every other bucket policy starts with a Deny, root always signs in with MFA.
 *
 * Beside them, one landmark every range has: `www.<domain>.` created in Route 53 (the example of
 * seed 003), so that query has an answer even in a one-day demo.
 */
import type { Caller, GeneratedRecord } from './event-recorder.js';
import { accessDenied, EventRecorder } from './event-recorder.js';
import { apiCall, type ApiCall, type CallContext, type CallShape } from './event-catalog.js';
import { consoleLoginShape, createAccessKeyShape } from './catalog/identity-calls.js';
import { bucketHost, objectKey } from './catalog/resource-names.js';
import { getObjectShape, putBucketPolicyShape } from './catalog/storage-calls.js';
import { changeRecordShape } from './catalog/operations-calls.js';
import { iamUserCaller, roleSessionCaller } from './actors/callers.js';
import { userAgentFor } from './actors/user-agents.js';
import { iamUserIdentity, rootIdentity, unseenIp, type RoleSession } from './identities.js';
import { accountFor, type Account } from './organization.js';
import { SeededRandom } from './random.js';
import { formatEventTime } from './record-writer.js';
import { DAY_MS, MINUTE_MS } from './schedule.js';
import type { World } from './world.js';

export interface Incident {
  /** Stable kebab-case id, the same for every seed. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** The eventIDs of the incident's records, in time order. */
  readonly eventIds: readonly string[];
  /** An Athena SELECT on `cloudtrail_logs` returning exactly these events. */
  readonly sql: string;
}

/** What `answers.json` holds: the planted incidents and where to find them. */
export interface IncidentAnswers {
  readonly seed: string;
  readonly organizationId: string;
  readonly company: string;
  /** The company's DNS domain; `www.<domain>.` is created in Route 53 in the middle of the range. */
  readonly domain: string;
  readonly accounts: readonly { readonly id: string; readonly alias: string; readonly role: string }[];
  /** First day of the range, `yyyy-mm-dd`. */
  readonly start: string;
  readonly days: number;
  readonly incidents: readonly Incident[];
}

export interface PlantedIncidents {
  readonly answers: IncidentAnswers;
  readonly records: readonly GeneratedRecord[];
}

const ATTACKER_AGENT = 'aws-cli/1.18.69 Python/3.8.10 Linux/5.4.0-1045-aws botocore/1.17.12';
const ROOT_BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36';

/** Enumeration as tools like it: who am I, what can I see, everywhere. `true`: the key's policy allows it. */
const RECON: readonly (readonly [string, boolean])[] = [
  ['sts:GetCallerIdentity', true],
  ['iam:GetUser', true],
  ['iam:ListAttachedUserPolicies', true],
  ['iam:ListUserPolicies', true],
  ['iam:ListGroupsForUser', true],
  ['iam:ListUsers', false],
  ['iam:ListRoles', false],
  ['iam:GetAccountAuthorizationDetails', false],
  ['iam:ListPolicies', false],
  ['iam:GetAccountSummary', false],
  ['iam:ListAccessKeys', true],
  ['s3:ListBuckets', true],
  ['s3:GetBucketPolicy', false],
  ['s3:GetBucketAcl', false],
  ['s3:GetBucketLocation', true],
  ['ec2:DescribeRegions', true],
  ['lambda:ListFunctions20150331', true],
  ['secretsmanager:ListSecrets', false],
  ['kms:ListKeys', true],
  ['rds:DescribeDBInstances', false],
  ['dynamodb:ListTables', true],
  ['cloudtrail:DescribeTrails', false],
  ['guardduty:ListDetectors', false],
  ['organizations:DescribeOrganization', false],
  ['ssm:DescribeParameters', true],
  ['ssm:GetParametersByPath', false],
  ['ecs:ListClusters', true],
  ['logs:DescribeLogGroups', true],
];
const RECON_PER_REGION: readonly (readonly [string, boolean])[] = [
  ['ec2:DescribeInstances', true],
  ['ec2:DescribeSecurityGroups', true],
  ['ec2:DescribeVpcs', true],
  ['ec2:DescribeSnapshots', false],
  ['lambda:ListFunctions20150331', true],
  ['rds:DescribeDBInstances', false],
];

export function plantIncidents(world: World, firstDay: number, days: number): PlantedIncidents {
  const { org, directory } = world;
  const rng = SeededRandom.from(world.seed, 'incidents');
  const recorder = new EventRecorder(world, rng);
  const production = accountFor(org, 'production');
  const management = accountFor(org, 'management');
  const prodInventory = world.inventories[production.index]!;
  const middle = firstDay + Math.floor(days / 2);
  const lastDay = firstDay + days - 1;
  const at = (day: number, hours: number, minutes: number): number =>
    day * DAY_MS + (hours * 60 + minutes) * MINUTE_MS + rng.int(60) * 1000;

  const attackerIp = unseenIp(rng, directory);
  const leaked = directory.leakedUser;
  const attacker = iamUserCaller(leaked, attackerIp, () => ATTACKER_AGENT);
  const attackerTls: Caller = { ...attacker, tls: 'TLSv1.2' };
  const record = (
    caller: Caller,
    key: string | ApiCall,
    account: Account,
    region: string,
    time: number,
    ok: boolean,
    shape?: (c: CallContext) => CallShape,
  ): string => {
    const call = typeof key === 'string' ? apiCall(key) : key;
    const error = ok ? null : accessDenied(call, caller.arn, account, region, rng);
    return recorder.record(caller, call, account, region, time, { error, ...(shape ? { shape } : {}) });
  };

  // 1. Recon with the leaked key.
  let t = at(middle, 2, 10 + rng.int(20));
  const reconIds: string[] = [];
  for (const [key, ok] of RECON) {
    reconIds.push(record(attackerTls, key, production, production.homeRegion, t, ok));
    t += 2_000 + rng.int(9_000);
  }
  for (const region of org.enabledRegions) {
    for (const [key, ok] of RECON_PER_REGION) {
      reconIds.push(record(attackerTls, key, production, region, t, ok));
      t += 1_000 + rng.int(4_000);
    }
  }
  const target = directory.reportingUser;
  reconIds.push(
    record(attackerTls, 'iam:ListAccessKeys', production, org.globalRegion, t, true, () => ({
      request: `{"userName":"${target.userName}"}`,
    })),
  );
  t += 40_000 + rng.int(60_000);

  // 2. A new key for the reporting service user.
  const newKey = `AKIA${rng.upperAlnum(16)}`;
  const createKeyId = record(attackerTls, 'iam:CreateAccessKey', production, org.globalRegion, t, true, (c) =>
    createAccessKeyShape(c, target.userName, newKey),
  );
  t += 90_000 + rng.int(60_000);

  const intruder: Caller = { ...iamUserCaller(target, attackerIp, () => ATTACKER_AGENT, iamUserIdentity(target, newKey)), tls: 'TLSv1.2' };
  record(intruder, 'sts:GetCallerIdentity', production, production.homeRegion, t, true);
  t += 20_000 + rng.int(20_000);
  const localTrail = `arn:aws:cloudtrail:${production.homeRegion}:${production.id}:trail/${production.alias}-audit-trail`;
  record(intruder, 'cloudtrail:DescribeTrails', production, production.homeRegion, t, true, () => ({
    request: '{"trailNameList":[],"includeShadowTrails":false}',
  }));
  t += 15_000 + rng.int(20_000);

  // 5. Stop logging, then delete the trail.
  const trailIds = [
    record(intruder, 'cloudtrail:StopLogging', production, production.homeRegion, t, true, () => ({ request: `{"name":"${localTrail}"}` })),
  ];
  t += 60_000 + rng.int(60_000);
  trailIds.push(
    record(intruder, 'cloudtrail:DeleteTrail', production, production.homeRegion, t, true, () => ({ request: `{"name":"${localTrail}"}` })),
  );
  t += 60_000 + rng.int(60_000);

  // 6. The customer-exports bucket made public.
  const exports = prodInventory.buckets.find((b) => b.keyStyle === 'exports')!;
  record(intruder, 's3:PutBucketPublicAccessBlock', production, exports.region, t, true, () => ({
    request: `{"PublicAccessBlockConfiguration":{"xmlns":"http://s3.amazonaws.com/doc/2006-03-01/","RestrictPublicBuckets":false,"BlockPublicPolicy":false,"BlockPublicAcls":false,"IgnorePublicAcls":false},"bucketName":"${exports.name}","Host":"${bucketHost(exports)}","publicAccessBlock":""}`,
  }));
  t += 20_000 + rng.int(20_000);
  const publicPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::${exports.name}/*"}]}`;
  const policyId = record(intruder, 's3:PutBucketPolicy', production, exports.region, t, true, (c) =>
    putBucketPolicyShape(c, exports, publicPolicy),
  );
  t += 45_000 + rng.int(30_000);

  // 7. A burst of downloads by a principal that never read this bucket.
  record(intruder, 's3:ListObjects', production, exports.region, t, true);
  const getObject = apiCall('s3:GetObject');
  const decrypt = apiCall('kms:Decrypt');
  const exfilIds: string[] = [];
  const downloads = 150 + rng.int(120);
  for (let i = 0; i < downloads; i++) {
    t += 400 + rng.int(2_400);
    const key = objectKey(exports, t - rng.int(20) * DAY_MS, rng);
    exfilIds.push(
      recorder.record(intruder, getObject, production, exports.region, t, {
        error: null,
        bucket: exports,
        shape: (c) => getObjectShape(c, exports, key, 40_000 + rng.int(3_000_000)),
      }),
    );
    if (exports.kmsKeyArn && intruder.via)
      recorder.record(intruder.via('s3.amazonaws.com'), decrypt, production, exports.region, t, { error: null });
  }

  // 4. Root signs in without MFA from an unknown address, and looks around.
  const rootDay = Math.max(firstDay, middle - 1);
  let r = at(rootDay, 19, 35 + rng.int(20));
  const rootIp = unseenIp(rng, directory);
  const rootCaller: Caller = {
    userIdentity: rootIdentity(management),
    sourceIPAddress: rootIp,
    userAgent: userAgentFor('console', ROOT_BROWSER),
    arn: `arn:aws:iam::${management.id}:root`,
    tls: 'TLSv1.3',
  };
  const rootId = recorder.record(rootCaller, apiCall('signin:ConsoleLogin'), management, org.globalRegion, r, {
    error: null,
    shape: () => consoleLoginShape(false, 'us-east-1'),
  });
  const rootSession: Caller = {
    ...rootCaller,
    userIdentity:
      `{"type":"Root","principalId":"${management.id}","arn":"arn:aws:iam::${management.id}:root","accountId":"${management.id}","accessKeyId":"ASIA${rng.upperAlnum(16)}",` +
      `"sessionContext":{"sessionIssuer":{},"webIdFederationData":{},"attributes":{"creationDate":"${formatEventTime(r)}","mfaAuthenticated":"false"}}}`,
    fromConsole: true,
  };
  for (const key of ['iam:GetAccountSummary', 'organizations:ListAccounts', 'iam:ListUsers', 'ce:GetCostAndUsage']) {
    r += 15_000 + rng.int(40_000);
    record(rootSession, key, management, org.globalRegion, r, true);
  }

  // 3. An admin opens SSH to the world "to debug".
  const admin = directory.people.find((p) => p.team === 'platform')!;
  const sgDay = Math.min(lastDay, middle + 1);
  let s = at(sgDay, 14, 5 + rng.int(40));
  const adminRole = directory.permissionSetRole(production, 'AdministratorAccess');
  const adminSession: RoleSession = {
    accountId: production.id,
    roleName: adminRole.roleName,
    rolePath: '/aws-reserved/sso.amazonaws.com/',
    roleId: adminRole.roleId,
    sessionName: admin.email,
    accessKeyId: `ASIA${rng.upperAlnum(16)}`,
    creationDate: s - 300_000,
    mfaAuthenticated: false,
  };
  const adminCaller = roleSessionCaller(adminSession, admin.office.ip, userAgentFor('console', admin.browser), {
    console: true,
    userName: admin.userName,
  });
  const regional = prodInventory.region(production.homeRegion);
  const group = regional.securityGroups.find((g) => g.name.endsWith('bastion')) ?? regional.securityGroups[0]!;
  record(adminCaller, 'ec2:DescribeSecurityGroups', production, production.homeRegion, s, true, () => ({
    request: `{"securityGroupSet":{},"securityGroupIdSet":{"items":[{"groupId":"${group.id}"}]},"filterSet":{}}`,
  }));
  s += 30_000 + rng.int(30_000);
  const sgId = record(adminCaller, 'ec2:AuthorizeSecurityGroupIngress', production, production.homeRegion, s, true, (c) => ({
    request: `{"groupId":"${group.id}","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"groups":{},"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0","description":"temp debug"}]},"ipv6Ranges":{},"prefixListIds":{}}]}}`,
    response: `{"requestId":"${c.requestId}","_return":true,"securityGroupRuleSet":{"items":[{"groupOwnerId":"${production.id}","groupId":"${group.id}","securityGroupRuleId":"sgr-0${c.rng.hex(16)}","isEgress":false,"ipProtocol":"tcp","fromPort":22,"toPort":22,"cidrIpv4":"0.0.0.0/0","description":"temp debug"}]}}`,
  }));

  // Not an incident: the same admin points www at CloudFront, so seed 003's Route 53 query always has an answer.
  const zone = prodInventory.hostedZones.find((z) => !z.private);
  if (zone) {
    s += 20 * MINUTE_MS + rng.int(600_000);
    record(adminCaller, 'route53:ChangeResourceRecordSets', production, org.globalRegion, s, true, (c) =>
      changeRecordShape(
        c,
        zone,
        'CREATE',
        `{"name":"www.${zone.name}","type":"A","aliasTarget":{"hostedZoneId":"Z2FDTNDATAQYW2","dNSName":"d${c.rng.lowerAlnum(13)}.cloudfront.net.","evaluateTargetHealth":false}}`,
        'website on CloudFront',
      ),
    );
  }

  const select = 'SELECT eventid, eventtime, eventsource, eventname, awsregion, sourceipaddress, errorcode\nFROM cloudtrail_logs\nWHERE ';
  const incidents: Incident[] = [
    {
      id: 'leaked-access-key-recon',
      title: 'Leaked access key used from a never-seen address',
      description:
        `The access key ${leaked.accessKeyId} of IAM user ${leaked.userName} (account ${production.id}), normally used from the office with aws-cli/2, ` +
        `calls List/Describe/Get APIs across ${org.enabledRegions.length} regions from ${attackerIp} with aws-cli/1 — an address no one in the organization uses. ` +
        'Many calls fail with AccessDenied / Client.UnauthorizedOperation: the key is probing what it is allowed to do.',
      eventIds: reconIds,
      sql: `${select}useridentity.accesskeyid = '${leaked.accessKeyId}'\n  AND sourceipaddress = '${attackerIp}'\n  AND readonly = 'true'\nORDER BY eventtime`,
    },
    {
      id: 'access-key-created-for-another-user',
      title: 'Access key created for another user',
      description: `The leaked key of ${leaked.userName} creates access key ${newKey} for the service user ${target.userName}: persistence with a second identity.`,
      eventIds: [createKeyId],
      sql: `${select}eventsource = 'iam.amazonaws.com'\n  AND eventname = 'CreateAccessKey'\n  AND useridentity.accesskeyid = '${leaked.accessKeyId}'\n  AND json_extract_scalar(requestparameters, '$.userName') <> useridentity.username\nORDER BY eventtime`,
    },
    {
      id: 'security-group-open-to-world',
      title: 'Security group opened to 0.0.0.0/0',
      description: `${admin.userName} adds an ingress rule for SSH (tcp/22) from 0.0.0.0/0 to ${group.id} (${group.name}) in ${production.alias}, through the console.`,
      eventIds: [sgId],
      sql: `${select}eventsource = 'ec2.amazonaws.com'\n  AND eventname = 'AuthorizeSecurityGroupIngress'\n  AND requestparameters LIKE '%"cidrIp":"0.0.0.0/0"%'\nORDER BY eventtime`,
    },
    {
      id: 'root-console-login-without-mfa',
      title: 'Root console sign-in without MFA',
      description: `The root user of the management account ${management.id} signs in to the console without MFA from ${rootIp}, an address never seen before.`,
      eventIds: [rootId],
      sql: `${select}eventsource = 'signin.amazonaws.com'\n  AND eventname = 'ConsoleLogin'\n  AND useridentity.type = 'Root'\n  AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No'\nORDER BY eventtime`,
    },
    {
      id: 'cloudtrail-stopped-and-deleted',
      title: 'CloudTrail logging stopped, then the trail deleted',
      description: `With the new key of ${target.userName}, the intruder stops logging on ${localTrail} and deletes it two minutes later (the organization trail keeps recording).`,
      eventIds: trailIds,
      sql: `${select}eventsource = 'cloudtrail.amazonaws.com'\n  AND eventname IN ('StopLogging', 'DeleteTrail')\nORDER BY eventtime`,
    },
    {
      id: 's3-bucket-policy-made-public',
      title: 'S3 bucket policy made public',
      description: `The intruder removes the public access block of ${exports.name} and puts a bucket policy allowing s3:GetObject to Principal "*".`,
      eventIds: [policyId],
      sql: `${select}eventsource = 's3.amazonaws.com'\n  AND eventname = 'PutBucketPolicy'\n  AND json_extract_scalar(requestparameters, '$.bucketPolicy.Statement[0].Effect') = 'Allow'\n  AND json_extract_scalar(requestparameters, '$.bucketPolicy.Statement[0].Principal') = '*'\nORDER BY eventtime`,
    },
    {
      id: 's3-exfiltration-burst',
      title: 'Burst of GetObject from a new principal',
      description: `${downloads} GetObject calls on ${exports.name} in a few minutes by ${target.userName} with the new key ${newKey}, from ${attackerIp}; that user never read this bucket before.`,
      eventIds: exfilIds,
      sql: `${select}eventsource = 's3.amazonaws.com'\n  AND eventname = 'GetObject'\n  AND useridentity.accesskeyid = '${newKey}'\nORDER BY eventtime`,
    },
  ];
  return {
    answers: {
      seed: world.seed,
      organizationId: org.id,
      company: org.company,
      domain: org.domain,
      accounts: org.accounts.map((a) => ({ id: a.id, alias: a.alias, role: a.role })),
      start: new Date(firstDay * DAY_MS).toISOString().slice(0, 10),
      days,
      incidents,
    },
    records: recorder.records,
  };
}
