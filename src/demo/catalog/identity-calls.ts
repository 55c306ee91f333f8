/**
 * IAM, STS, sign-in, IAM Identity Center, Organizations, KMS, Secrets Manager and ACM calls.
 *
 * IAM and STS write dates as `"Oct 15, 2026, 2:03:09 PM"`; STS lists the assumed role in
 * `resources`; KMS lists the key. The planted incidents reuse `createAccessKeyShape` and
 * `assumeRoleShape` so attacker activity looks exactly like everyone else's.
 */
import { defineCalls, request, type ApiCall, type CallContext, type CallShape } from './api-call.js';
import { policyArn, roleArn } from './resource-names.js';
import { formatResponseDate, quote } from '../record-writer.js';

const role = (c: CallContext): string => c.rng.pick(c.inventory.roles);
const user = (c: CallContext): string => (c.inventory.users.length > 0 ? c.rng.pick(c.inventory.users) : 'break-glass-admin');
const policy = (c: CallContext): string => policyArn(c.account.id, c.rng.pick(c.inventory.policies));

export function createAccessKeyShape(c: CallContext, userName: string, accessKeyId: string): CallShape {
  return {
    request: `{"userName":"${userName}"}`,
    response: `{"accessKey":{"userName":"${userName}","accessKeyId":"${accessKeyId}","status":"Active","createDate":"${formatResponseDate(c.time)}"}}`,
  };
}

const sessionToken = (c: CallContext): string => `IQoJb3JpZ2luX2VjE${c.rng.mixedAlnum(100)}`;

/** AssumeRole: the role in `resources`, fresh credentials in responseElements. */
export function assumeRoleShape(c: CallContext, arn: string, sessionName: string, accessKeyId: string, durationSeconds = 3600): CallShape {
  const roleName = arn.slice(arn.lastIndexOf('/') + 1);
  const roleAccount = arn.split(':')[4]!;
  return {
    request: `{"roleArn":"${arn}","roleSessionName":"${sessionName}","durationSeconds":${durationSeconds}}`,
    response:
      `{"credentials":{"accessKeyId":"${accessKeyId}","sessionToken":"${sessionToken(c)}","expiration":"${formatResponseDate(c.time + durationSeconds * 1000)}"},` +
      `"assumedRoleUser":{"assumedRoleId":"AROA${c.rng.upperAlnum(17)}:${sessionName}","arn":"arn:aws:sts::${roleAccount}:assumed-role/${roleName}/${sessionName}"}}`,
    resources: `[{"accountId":"${roleAccount}","type":"AWS::IAM::Role","ARN":"${arn}"}]`,
  };
}

const assumeRolePolicy = (service: string): string =>
  quote(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"${service}"},"Action":"sts:AssumeRole"}]}`);

export const IAM_CALLS: ApiCall[] = defineCalls('iam', [
  { name: 'GetUser', global: true, shape: (c) => request(c.rng.chance(0.5) ? 'null' : `{"userName":"${user(c)}"}`) },
  { name: 'ListUsers', global: true },
  {
    name: 'GetRole',
    global: true,
    shape: (c) => request(`{"roleName":"${role(c)}"}`),
    notFound: ['NoSuchEntity', 'The role with name cdk-legacy-deploy-role cannot be found.'],
  },
  { name: 'ListRoles', global: true, shape: () => request('{"maxItems":1000}') },
  { name: 'ListRoleTags', global: true, shape: (c) => request(`{"roleName":"${role(c)}"}`) },
  { name: 'ListAttachedRolePolicies', global: true, shape: (c) => request(`{"roleName":"${role(c)}"}`) },
  { name: 'ListRolePolicies', global: true, shape: (c) => request(`{"roleName":"${role(c)}"}`) },
  { name: 'GetRolePolicy', global: true, shape: (c) => request(`{"roleName":"${role(c)}","policyName":"inline-access"}`) },
  { name: 'ListAttachedUserPolicies', global: true, shape: (c) => request(`{"userName":"${user(c)}"}`) },
  { name: 'ListUserPolicies', global: true, shape: (c) => request(`{"userName":"${user(c)}"}`) },
  { name: 'ListGroups', global: true },
  { name: 'ListGroupsForUser', global: true, shape: (c) => request(`{"userName":"${user(c)}"}`) },
  { name: 'ListPolicies', global: true, shape: () => request('{"scope":"Local","onlyAttached":false,"maxItems":100}') },
  { name: 'GetPolicy', global: true, shape: (c) => request(`{"policyArn":"${policy(c)}"}`) },
  { name: 'GetPolicyVersion', global: true, shape: (c) => request(`{"policyArn":"${policy(c)}","versionId":"v${c.rng.between(1, 6)}"}`) },
  { name: 'ListPolicyVersions', global: true, shape: (c) => request(`{"policyArn":"${policy(c)}"}`) },
  { name: 'ListEntitiesForPolicy', global: true, shape: (c) => request(`{"policyArn":"${policy(c)}"}`) },
  { name: 'ListAccessKeys', global: true, shape: (c) => request(`{"userName":"${user(c)}"}`) },
  { name: 'GetAccessKeyLastUsed', global: true, shape: (c) => request(`{"accessKeyId":"AKIA${c.rng.upperAlnum(16)}"}`) },
  { name: 'ListMFADevices', global: true, shape: (c) => request(`{"userName":"${user(c)}"}`) },
  { name: 'ListVirtualMFADevices', global: true },
  {
    name: 'GetLoginProfile',
    global: true,
    shape: (c) => request(`{"userName":"${user(c)}"}`),
    notFound: ['NoSuchEntity', 'Login Profile for User cannot be found.'],
  },
  { name: 'GetAccountSummary', global: true },
  { name: 'GetAccountPasswordPolicy', global: true, notFound: ['NoSuchEntity', 'The Password Policy with domain name cannot be found.'] },
  { name: 'ListAccountAliases', global: true },
  { name: 'ListInstanceProfiles', global: true },
  { name: 'ListInstanceProfilesForRole', global: true, shape: (c) => request(`{"roleName":"${role(c)}"}`) },
  { name: 'ListOpenIDConnectProviders', global: true },
  { name: 'ListSAMLProviders', global: true },
  { name: 'ListServerCertificates', global: true },
  { name: 'GenerateCredentialReport', global: true, read: true },
  { name: 'GetCredentialReport', global: true },
  {
    name: 'GetAccountAuthorizationDetails',
    global: true,
    shape: () => request('{"filter":["User","Role","Group","LocalManagedPolicy"],"maxItems":100}'),
  },
  {
    name: 'GenerateServiceLastAccessedDetails',
    global: true,
    read: true,
    shape: (c) => request(`{"arn":"${roleArn(c.account.id, role(c))}"}`),
  },
  {
    name: 'SimulatePrincipalPolicy',
    global: true,
    shape: (c) => request(`{"policySourceArn":"${roleArn(c.account.id, role(c))}","actionNames":["s3:GetObject"]}`),
  },
  {
    name: 'CreateRole',
    global: true,
    shape: (c) => {
      const name = `${c.rng.pick(['batch', 'etl', 'svc', 'lambda'])}-${c.rng.hex(6)}-role`;
      return {
        request: `{"roleName":"${name}","assumeRolePolicyDocument":${assumeRolePolicy('lambda.amazonaws.com')},"path":"/"}`,
        response: `{"role":{"path":"/","roleName":"${name}","roleId":"AROA${c.rng.upperAlnum(17)}","arn":"${roleArn(c.account.id, name)}","createDate":"${formatResponseDate(c.time)}","assumeRolePolicyDocument":"%7B%22Version%22%3A%222012-10-17%22%7D"}}`,
      };
    },
  },
  { name: 'AttachRolePolicy', global: true, shape: (c) => request(`{"roleName":"${role(c)}","policyArn":"${policy(c)}"}`) },
  { name: 'DetachRolePolicy', global: true, shape: (c) => request(`{"roleName":"${role(c)}","policyArn":"${policy(c)}"}`) },
  {
    name: 'PutRolePolicy',
    global: true,
    shape: (c) =>
      request(
        `{"roleName":"${role(c)}","policyName":"inline-access","policyDocument":${quote(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:SendMessage"],"Resource":"arn:aws:sqs:${c.region}:${c.account.id}:${c.regional.queues[0]}"}]}`)}}`,
      ),
  },
  { name: 'TagRole', global: true, shape: (c) => request(`{"roleName":"${role(c)}","tags":[{"key":"Owner","value":"platform"}]}`) },
  {
    name: 'CreatePolicyVersion',
    global: true,
    shape: (c) =>
      request(
        `{"policyArn":"${policy(c)}","policyDocument":${quote('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*"}]}')},"setAsDefault":true}`,
      ),
  },
  { name: 'CreateServiceLinkedRole', global: true, shape: () => request('{"aWSServiceName":"ecs.amazonaws.com"}') },
  {
    name: 'UpdateAccessKey',
    global: true,
    shape: (c) => request(`{"userName":"${user(c)}","accessKeyId":"AKIA${c.rng.upperAlnum(16)}","status":"Inactive"}`),
  },
  { name: 'DeleteAccessKey', global: true, shape: (c) => request(`{"userName":"${user(c)}","accessKeyId":"AKIA${c.rng.upperAlnum(16)}"}`) },
  { name: 'CreateAccessKey', global: true, shape: (c) => createAccessKeyShape(c, user(c), `AKIA${c.rng.upperAlnum(16)}`) },
]);

export const STS_CALLS: ApiCall[] = defineCalls('sts', [
  { name: 'GetCallerIdentity' },
  {
    name: 'AssumeRole',
    read: true,
    shape: (c) => assumeRoleShape(c, roleArn(c.account.id, role(c)), `session-${c.rng.hex(8)}`, `ASIA${c.rng.upperAlnum(16)}`),
  },
  { name: 'AssumeRoleWithWebIdentity', read: true },
  { name: 'GetSessionToken', read: true, shape: () => request('{"durationSeconds":43200}') },
  { name: 'DecodeAuthorizationMessage', shape: (c) => request(`{"encodedMessage":"${c.rng.mixedAlnum(60)}"}`) },
]);

export const SIGNIN_CALLS: ApiCall[] = defineCalls('signin', [
  { name: 'ConsoleLogin', global: true, read: false, eventType: 'AwsConsoleSignIn' },
  { name: 'CredentialVerification', global: true, read: false, eventType: 'AwsServiceEvent' },
  { name: 'SwitchRole', global: true, read: false, eventType: 'AwsConsoleSignIn' },
]);

export const SSO_CALLS: ApiCall[] = defineCalls('sso', [
  { name: 'Federate', read: false },
  {
    name: 'GetRoleCredentials',
    shape: (c) =>
      request(
        `{"roleName":"${c.rng.pick(['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess'])}","accountId":"${c.rng.pick(c.org.accounts).id}"}`,
      ),
  },
  { name: 'ListAccounts' },
  { name: 'ListAccountRoles', shape: (c) => request(`{"accountId":"${c.rng.pick(c.org.accounts).id}"}`) },
  {
    name: 'ListPermissionSets',
    shape: (c) => request(`{"instanceArn":"arn:aws:sso:::instance/ssoins-${c.org.identityStoreId.slice(2)}"}`),
  },
  {
    name: 'ListAccountAssignments',
    shape: (c) =>
      request(
        `{"instanceArn":"arn:aws:sso:::instance/ssoins-${c.org.identityStoreId.slice(2)}","accountId":"${c.rng.pick(c.org.accounts).id}"}`,
      ),
  },
]);

export const SSO_OAUTH_CALLS: ApiCall[] = defineCalls('sso-oauth', [
  {
    name: 'CreateToken',
    read: false,
    shape: (c) => request(`{"clientId":"${c.rng.mixedAlnum(22)}","grantType":"urn:ietf:params:oauth:grant-type:device_code"}`),
  },
]);

export const IDENTITYSTORE_CALLS: ApiCall[] = defineCalls('identitystore', [
  { name: 'ListUsers', shape: (c) => request(`{"identityStoreId":"${c.org.identityStoreId}"}`) },
  { name: 'DescribeUser', shape: (c) => request(`{"identityStoreId":"${c.org.identityStoreId}","userId":"${c.rng.uuid()}"}`) },
  { name: 'ListGroups', shape: (c) => request(`{"identityStoreId":"${c.org.identityStoreId}"}`) },
  { name: 'ListGroupMemberships', shape: (c) => request(`{"identityStoreId":"${c.org.identityStoreId}","groupId":"${c.rng.uuid()}"}`) },
]);

export const ORGANIZATIONS_CALLS: ApiCall[] = defineCalls('organizations', [
  { name: 'DescribeOrganization', global: true },
  { name: 'ListAccounts', global: true },
  { name: 'ListRoots', global: true },
  { name: 'DescribeAccount', global: true, shape: (c) => request(`{"accountId":"${c.rng.pick(c.org.accounts).id}"}`) },
  { name: 'ListOrganizationalUnitsForParent', global: true, shape: (c) => request(`{"parentId":"r-${c.org.id.slice(2, 6)}"}`) },
  { name: 'ListAccountsForParent', global: true, shape: (c) => request(`{"parentId":"ou-${c.org.id.slice(2, 6)}-${c.org.id.slice(6)}"}`) },
  { name: 'ListPolicies', global: true, shape: () => request('{"filter":"SERVICE_CONTROL_POLICY"}') },
  { name: 'DescribePolicy', global: true, shape: (c) => request(`{"policyId":"p-${c.org.id.slice(2, 10)}"}`) },
  { name: 'ListDelegatedAdministrators', global: true },
  { name: 'ListAWSServiceAccessForOrganization', global: true },
  { name: 'ListTagsForResource', global: true, shape: (c) => request(`{"resourceId":"${c.rng.pick(c.org.accounts).id}"}`) },
]);

const key = (c: CallContext) => c.rng.pick(c.regional.kmsKeys);
const keyResource = (c: CallContext, arn: string): string => `[{"accountId":"${c.account.id}","type":"AWS::KMS::Key","ARN":"${arn}"}]`;

export const KMS_CALLS: ApiCall[] = defineCalls('kms', [
  {
    name: 'Decrypt',
    read: true,
    shape: (c) => {
      const k = key(c);
      return {
        request: `{"encryptionAlgorithm":"SYMMETRIC_DEFAULT","keyId":"${k.arn}"}`,
        response: 'null',
        resources: keyResource(c, k.arn),
      };
    },
  },
  {
    name: 'GenerateDataKey',
    read: true,
    shape: (c) => {
      const k = key(c);
      return { request: `{"keyId":"${k.alias}","keySpec":"AES_256"}`, response: 'null', resources: keyResource(c, k.arn) };
    },
  },
  {
    name: 'Encrypt',
    read: true,
    shape: (c) => {
      const k = key(c);
      return {
        request: `{"keyId":"${k.alias}","encryptionAlgorithm":"SYMMETRIC_DEFAULT"}`,
        response: 'null',
        resources: keyResource(c, k.arn),
      };
    },
  },
  {
    name: 'DescribeKey',
    shape: (c) => {
      const k = key(c);
      return { request: `{"keyId":"${k.alias}"}`, resources: keyResource(c, k.arn) };
    },
  },
  { name: 'ListKeys', shape: () => request('{"limit":1000}') },
  { name: 'ListAliases', shape: () => request('{"limit":100}') },
  {
    name: 'GetKeyPolicy',
    shape: (c) => {
      const k = key(c);
      return { request: `{"keyId":"${k.id}","policyName":"default"}`, resources: keyResource(c, k.arn) };
    },
  },
  {
    name: 'GetKeyRotationStatus',
    shape: (c) => {
      const k = key(c);
      return { request: `{"keyId":"${k.id}"}`, resources: keyResource(c, k.arn) };
    },
  },
  {
    name: 'ListResourceTags',
    shape: (c) => {
      const k = key(c);
      return { request: `{"keyId":"${k.id}"}`, resources: keyResource(c, k.arn) };
    },
  },
  {
    name: 'ListGrants',
    shape: (c) => {
      const k = key(c);
      return { request: `{"keyId":"${k.arn}"}`, resources: keyResource(c, k.arn) };
    },
  },
  {
    name: 'CreateGrant',
    shape: (c) => {
      const k = key(c);
      return {
        request: `{"keyId":"${k.arn}","granteePrincipal":"${roleArn(c.account.id, 'AWSServiceRoleForAutoScaling', '/aws-service-role/autoscaling.amazonaws.com/')}","operations":["Decrypt","GenerateDataKeyWithoutPlaintext","ReEncryptFrom","ReEncryptTo","CreateGrant"]}`,
        response: `{"grantId":"${c.rng.hex(64)}"}`,
        resources: keyResource(c, k.arn),
      };
    },
  },
  {
    name: 'RotateKey',
    read: false,
    eventType: 'AwsServiceEvent',
    shape: (c) => {
      const k = key(c);
      return { request: 'null', response: 'null', resources: keyResource(c, k.arn), serviceEventDetails: `{"keyId":"${k.id}"}` };
    },
  },
]);

const secret = (c: CallContext) => c.rng.pick(c.regional.secrets);

export const SECRETSMANAGER_CALLS: ApiCall[] = defineCalls('secretsmanager', [
  {
    name: 'GetSecretValue',
    shape: (c) => ({ request: `{"secretId":"${c.rng.chance(0.5) ? secret(c).arn : secret(c).name}"}`, response: 'null' }),
  },
  { name: 'DescribeSecret', shape: (c) => request(`{"secretId":"${secret(c).arn}"}`) },
  { name: 'ListSecrets', shape: () => request('{"maxResults":100}') },
  { name: 'GetResourcePolicy', shape: (c) => request(`{"secretId":"${secret(c).arn}"}`) },
  {
    name: 'PutSecretValue',
    shape: (c) => {
      const s = secret(c);
      const version = c.rng.uuid();
      return {
        request: `{"secretId":"${s.arn}","clientRequestToken":"${version}","versionStages":["AWSPENDING"]}`,
        response: `{"arn":"${s.arn}","name":"${s.name}","versionId":"${version}","versionStages":["AWSPENDING"]}`,
      };
    },
  },
  {
    name: 'RotationStarted',
    read: false,
    eventType: 'AwsServiceEvent',
    shape: (c) => ({ request: 'null', response: 'null', additionalEventData: `{"SecretId":"${secret(c).arn}"}` }),
  },
  {
    name: 'RotationSucceeded',
    read: false,
    eventType: 'AwsServiceEvent',
    shape: (c) => ({ request: 'null', response: 'null', additionalEventData: `{"SecretId":"${secret(c).arn}"}` }),
  },
]);

export const ACM_CALLS: ApiCall[] = defineCalls('acm', [
  { name: 'ListCertificates', shape: () => request('{"certificateStatuses":["ISSUED"],"includes":{}}') },
  { name: 'DescribeCertificate', shape: (c) => request(`{"certificateArn":"${c.rng.pick(c.regional.certificates)}"}`) },
  { name: 'ListTagsForCertificate', shape: (c) => request(`{"certificateArn":"${c.rng.pick(c.regional.certificates)}"}`) },
  { name: 'GetCertificate', shape: (c) => request(`{"certificateArn":"${c.rng.pick(c.regional.certificates)}"}`) },
  {
    name: 'RequestCertificate',
    shape: (c) => request(`{"domainName":"*.${c.org.domain}","validationMethod":"DNS","idempotencyToken":"${c.rng.hex(8)}"}`),
  },
]);

/** A console sign-in: `{"ConsoleLogin":"Success"}` and whether MFA was used, as signin.amazonaws.com logs it. */
export function consoleLoginShape(mfaUsed: boolean, region: string, mfaIdentifier?: string): CallShape {
  return {
    request: 'null',
    response: '{"ConsoleLogin":"Success"}',
    additionalEventData:
      `{"LoginTo":"https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&region=${region}&state=hashArgsFromTB_${region}_${region.length}f1a2b3c4d5e6f7a8","MobileVersion":"No",` +
      (mfaIdentifier ? `"MFAIdentifier":"${mfaIdentifier}",` : '') +
      `"MFAUsed":"${mfaUsed ? 'Yes' : 'No'}"}`,
  };
}
