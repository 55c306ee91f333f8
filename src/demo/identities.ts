/**
 * Who calls AWS in the demo organization, and how CloudTrail writes them in `userIdentity`.
 *
 * People sign in through IAM Identity Center (`AWSReservedSSO_<PermissionSet>_<hex>` roles,
 * session named by e-mail), from a few stable addresses (office, home) with their own browser
 * and CLI; two old-timers still have IAM users with access keys; service users run on-premises
 * jobs. Workloads use roles (Lambda, ECS tasks, EC2 instance profiles, GitHub Actions through
 * OIDC), and AWS services act for themselves (`AWSService`) or for a principal (`invokedBy`).
 * Stable addresses and agents per person are what make "an IP never seen before" meaningful.
 */
import { accountFor, type Account, type Organization } from './organization.js';
import { SeededRandom } from './random.js';
import { formatEventTime } from './record-writer.js';

export type Team = 'platform' | 'developer' | 'data' | 'security' | 'finance';

/** An IAM Identity Center permission set provisioned into an account as a reserved role. */
export interface PermissionSetRole {
  readonly account: Account;
  readonly permissionSet: string;
  readonly roleName: string;
  readonly roleId: string;
}

export interface IamUser {
  readonly account: Account;
  readonly userName: string;
  readonly userId: string;
  readonly accessKeyId: string;
}

export interface Office {
  readonly city: string;
  /** Fixed offset from UTC in minutes (daylight saving is ignored: the demo needs a shape, not a calendar). */
  readonly utcOffsetMinutes: number;
  readonly ip: string;
}

export interface Person {
  readonly key: string;
  readonly userName: string;
  readonly email: string;
  readonly team: Team;
  readonly office: Office;
  readonly homeIp: string;
  /** Local minute of day the person usually starts. */
  readonly startMinute: number;
  readonly workMinutes: number;
  readonly browser: string;
  /** aws-cli/2 user agent without the trailing `md/command#...`. */
  readonly cli: string;
  readonly sdk: string;
  readonly identityStoreUserId: string;
  readonly assignments: readonly (readonly [PermissionSetRole, number])[];
  readonly iamUser?: IamUser;
}

export interface Directory {
  readonly people: readonly Person[];
  readonly iamUsers: readonly IamUser[];
  /** The IAM user whose access key leaks (incident 1). */
  readonly leakedUser: IamUser;
  /** The service user the attacker creates a new key for (incident 2). */
  readonly reportingUser: IamUser;
  readonly backupUser: IamUser;
  /** Every address the organization's own people and jobs use: the attacker's is none of them. */
  readonly knownIps: ReadonlySet<string>;
  readonly datacenterIp: string;
  permissionSetRole(account: Account, permissionSet: string): PermissionSetRole;
}

const FIRST = [
  'ana',
  'ben',
  'chloe',
  'david',
  'elena',
  'farid',
  'grace',
  'hiro',
  'ines',
  'jonas',
  'kavya',
  'liam',
  'maria',
  'noah',
  'olivia',
  'pedro',
  'quinn',
  'rosa',
  'sam',
  'tomas',
  'uma',
  'viktor',
  'wen',
  'yusuf',
];
const LAST = [
  'alvarez',
  'becker',
  'chen',
  'dubois',
  'evans',
  'fischer',
  'garcia',
  'hansen',
  'ito',
  'jensen',
  'kowalski',
  'lopez',
  'murphy',
  'nair',
  'okafor',
  'patel',
  'rossi',
  'silva',
  'tanaka',
  'weber',
];

const OFFICES: readonly (readonly [string, number])[] = [
  ['New York', -300],
  ['Austin', -360],
  ['Dublin', 0],
  ['Berlin', 60],
  ['Bangalore', 330],
];

/** Team, office index, and whether the person keeps a legacy IAM user. */
const STAFF: readonly (readonly [Team, number])[] = [
  ['platform', 0],
  ['platform', 2],
  ['platform', 3],
  ['developer', 0],
  ['developer', 0],
  ['developer', 1],
  ['developer', 1],
  ['developer', 2],
  ['developer', 3],
  ['developer', 3],
  ['developer', 4],
  ['data', 0],
  ['data', 2],
  ['data', 4],
  ['security', 0],
  ['security', 2],
  ['finance', 0],
];

const BROWSERS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:131.0) Gecko/20100101 Firefox/131.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15',
];

const OSES = [
  ['macos#23.6.0', 'arm64'],
  ['macos#24.0.0', 'arm64'],
  ['linux#6.8.0-47-generic', 'x86_64'],
  ['windows#10', 'AMD64'],
] as const;

/** First octets of consumer and business ISP ranges; AWS, private and documentation ranges are avoided. */
const ISP_OCTETS = [
  24, 50, 67, 68, 71, 73, 76, 81, 82, 84, 86, 87, 89, 92, 93, 95, 98, 108, 109, 117, 122, 151, 173, 176, 178, 185, 188, 195, 201, 212, 213,
  217,
];

function publicIp(rng: SeededRandom, taken: Set<string>): string {
  for (;;) {
    const ip = `${rng.pick(ISP_OCTETS)}.${rng.between(1, 254)}.${rng.between(1, 254)}.${rng.between(2, 254)}`;
    if (!taken.has(ip)) {
      taken.add(ip);
      return ip;
    }
  }
}

/** An address never used by anyone in the directory: where the leaked key is used from. */
export function unseenIp(rng: SeededRandom, directory: Directory): string {
  const taken = new Set(directory.knownIps);
  return publicIp(rng, taken);
}

const PERMISSION_SETS: Record<Team, readonly (readonly ['management' | 'production' | 'staging' | 'sandbox', string, number])[]> = {
  platform: [
    ['production', 'AdministratorAccess', 5],
    ['staging', 'AdministratorAccess', 3],
    ['management', 'AdministratorAccess', 2],
    ['sandbox', 'AdministratorAccess', 1],
  ],
  developer: [
    ['staging', 'PowerUserAccess', 5],
    ['production', 'ReadOnlyAccess', 3],
    ['production', 'DeveloperDeploy', 1],
    ['sandbox', 'PowerUserAccess', 2],
  ],
  data: [
    ['production', 'DataEngineer', 6],
    ['staging', 'DataEngineer', 2],
  ],
  security: [
    ['production', 'SecurityAudit', 3],
    ['management', 'SecurityAudit', 3],
    ['staging', 'SecurityAudit', 1],
    ['sandbox', 'SecurityAudit', 1],
  ],
  finance: [['management', 'Billing', 1]],
};

export function createDirectory(org: Organization, seed: string): Directory {
  const rng = SeededRandom.from(seed, 'directory');
  const taken = new Set<string>();
  const offices: Office[] = OFFICES.map(([city, utcOffsetMinutes]) => ({ city, utcOffsetMinutes, ip: publicIp(rng, taken) }));
  const datacenterIp = publicIp(rng, taken);

  const roles = new Map<string, PermissionSetRole>();
  const permissionSetRole = (account: Account, permissionSet: string): PermissionSetRole => {
    const key = `${account.id}/${permissionSet}`;
    let role = roles.get(key);
    if (!role) {
      const r = SeededRandom.from(seed, 'permission-set', key);
      role = { account, permissionSet, roleName: `AWSReservedSSO_${permissionSet}_${r.hex(16)}`, roleId: `AROA${r.upperAlnum(17)}` };
      roles.set(key, role);
    }
    return role;
  };

  const iamUser = (account: Account, userName: string): IamUser => {
    const r = SeededRandom.from(seed, 'iam-user', account.id, userName);
    return { account, userName, userId: `AIDA${r.upperAlnum(17)}`, accessKeyId: `AKIA${r.upperAlnum(16)}` };
  };

  const firsts = rng.shuffle([...FIRST]);
  const lasts = rng.shuffle([...LAST]);
  const production = accountFor(org, 'production');
  const people: Person[] = [];
  const iamUsers: IamUser[] = [];
  let developers = 0;
  let dataPeople = 0;
  STAFF.forEach(([team, officeIndex], i) => {
    const userName = `${firsts[i % firsts.length]}.${lasts[i % lasts.length]}`;
    const [os, arch] = rng.pick(OSES);
    const cliVersion = `2.${rng.between(15, 18)}.${rng.between(0, 45)}`;
    const botocore = `1.35.${rng.between(10, 60)}`;
    const assignments = PERMISSION_SETS[team]
      .filter(([role]) => role !== 'sandbox' || org.accounts.length > 3)
      .map(([role, ps, weight]) => [permissionSetRole(accountFor(org, role), ps), weight] as const);
    // Two old-timers kept IAM users with access keys from before Identity Center: a developer and a data engineer.
    const keepsIamUser = (team === 'developer' && developers++ === 1) || (team === 'data' && dataPeople++ === 0);
    const legacy = keepsIamUser ? iamUser(production, userName) : undefined;
    if (legacy) iamUsers.push(legacy);
    people.push({
      key: userName,
      userName,
      email: `${userName}@${org.domain}`,
      team,
      office: offices[officeIndex]!,
      homeIp: publicIp(rng, taken),
      startMinute: rng.between(7 * 60 + 30, 10 * 60),
      workMinutes: rng.between(8 * 60, 9 * 60 + 30),
      browser: rng.pick(BROWSERS),
      cli: `aws-cli/${cliVersion} md/awscrt#0.22.0 ua/2.0 os/${os} md/arch#${arch} lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#${os.startsWith('macos') ? 'source' : 'exe'} md/prompt#off`,
      sdk: `Boto3/${botocore} md/Botocore#${botocore} ua/2.0 os/${os} md/arch#${arch} lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/${botocore}`,
      identityStoreUserId: `${rng.hex(10)}-${rng.uuid().slice(9)}`,
      assignments,
      ...(legacy ? { iamUser: legacy } : {}),
    });
  });
  const reportingUser = iamUser(production, 'svc-reporting');
  const backupUser = iamUser(production, 'svc-backup');
  iamUsers.push(reportingUser, backupUser, iamUser(accountFor(org, 'management'), 'break-glass-admin'));
  const leakedUser = people.find((p) => p.team === 'developer' && p.iamUser)!.iamUser!;
  return { people, iamUsers, leakedUser, reportingUser, backupUser, knownIps: taken, datacenterIp, permissionSetRole };
}

// ---------------------------------------------------------------------------------------------
// userIdentity JSON text, field order as CloudTrail writes it.

/** An IAM user calling with its access key, or with another key of the user (the attacker's new one). */
export function iamUserIdentity(user: IamUser, accessKeyId = user.accessKeyId): string {
  return `{"type":"IAMUser","principalId":"${user.userId}","arn":"arn:aws:iam::${user.account.id}:user/${user.userName}","accountId":"${user.account.id}","accessKeyId":"${accessKeyId}","userName":"${user.userName}"}`;
}

export interface RoleSession {
  readonly accountId: string;
  readonly roleName: string;
  /** IAM path of the role: `/aws-reserved/sso.amazonaws.com/` for permission sets. */
  readonly rolePath: string;
  readonly roleId: string;
  readonly sessionName: string;
  readonly accessKeyId: string;
  readonly creationDate: number;
  readonly mfaAuthenticated: boolean;
  readonly sourceIdentity?: string;
  readonly webIdFederationProvider?: string;
  readonly ec2RoleDelivery?: boolean;
  readonly invokedBy?: string;
}

export const sessionArn = (s: RoleSession): string => `arn:aws:sts::${s.accountId}:assumed-role/${s.roleName}/${s.sessionName}`;

export function assumedRoleIdentity(s: RoleSession): string {
  return (
    `{"type":"AssumedRole","principalId":"${s.roleId}:${s.sessionName}","arn":"${sessionArn(s)}","accountId":"${s.accountId}","accessKeyId":"${s.accessKeyId}",` +
    `"sessionContext":{"sessionIssuer":{"type":"Role","principalId":"${s.roleId}","arn":"arn:aws:iam::${s.accountId}:role${s.rolePath}${s.roleName}","accountId":"${s.accountId}","userName":"${s.roleName}"},` +
    `"webIdFederationData":${s.webIdFederationProvider ? `{"federatedProvider":"${s.webIdFederationProvider}","attributes":{}}` : '{}'},` +
    `"attributes":{"creationDate":"${formatEventTime(s.creationDate)}","mfaAuthenticated":"${s.mfaAuthenticated}"}` +
    (s.sourceIdentity ? `,"sourceIdentity":"${s.sourceIdentity}"` : '') +
    (s.ec2RoleDelivery ? ',"ec2RoleDelivery":"2.0"' : '') +
    '}' +
    (s.invokedBy ? `,"invokedBy":"${s.invokedBy}"` : '') +
    '}'
  );
}

export function rootIdentity(account: Account): string {
  return `{"type":"Root","principalId":"${account.id}","arn":"arn:aws:iam::${account.id}:root","accountId":"${account.id}","accessKeyId":""}`;
}

/** An AWS service calling for itself (Lambda assuming a function's role). */
export const awsServiceIdentity = (service: string): string => `{"type":"AWSService","invokedBy":"${service}"}`;

/** The identity of an AwsServiceEvent: the account and the service that acted. */
export const serviceEventIdentity = (account: Account, service: string): string => `{"accountId":"${account.id}","invokedBy":"${service}"}`;

export function webIdentityUser(account: Account, provider: string, subject: string): string {
  const providerArn = `arn:aws:iam::${account.id}:oidc-provider/${provider}`;
  return `{"type":"WebIdentityUser","principalId":"${providerArn}:sts.amazonaws.com:${subject}","userName":"${subject}","identityProvider":"${providerArn}"}`;
}

/** A person signed in to the IAM Identity Center portal, before choosing an account. */
export function identityCenterUser(org: Organization, person: Person, credentialId: string): string {
  const mgmt = org.accounts[0]!.id;
  return `{"type":"IdentityCenterUser","accountId":"${mgmt}","onBehalfOf":{"userId":"${person.identityStoreUserId}","identityStoreArn":"arn:aws:identitystore::${mgmt}:identitystore/${org.identityStoreId}"},"credentialId":"${credentialId}"}`;
}
