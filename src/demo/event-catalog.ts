/**
 * Every API call the demo organization makes, by `service:EventName` key.
 *
 * Actors name their repertoire by key (`'ec2:DescribeInstances'`); `apiCall` fails loudly on a
 * typo when the actors are built, not silently while logs are generated.
 */
import type { ApiCall } from './catalog/api-call.js';
import { AUTOSCALING_CALLS, EC2_CALLS, ECR_CALLS, ECS_CALLS, ELB_CALLS, LAMBDA_CALLS } from './catalog/compute-calls.js';
import {
  ACM_CALLS,
  IAM_CALLS,
  IDENTITYSTORE_CALLS,
  KMS_CALLS,
  ORGANIZATIONS_CALLS,
  SECRETSMANAGER_CALLS,
  SIGNIN_CALLS,
  SSO_CALLS,
  SSO_OAUTH_CALLS,
  STS_CALLS,
} from './catalog/identity-calls.js';
import {
  ACCESS_ANALYZER_CALLS,
  APIGATEWAY_CALLS,
  CE_CALLS,
  CLOUDFORMATION_CALLS,
  CLOUDFRONT_CALLS,
  CLOUDTRAIL_CALLS,
  CONFIG_CALLS,
  EVENTS_CALLS,
  GUARDDUTY_CALLS,
  HEALTH_CALLS,
  LOGS_CALLS,
  MONITORING_CALLS,
  ROUTE53_CALLS,
  SECURITYHUB_CALLS,
  SERVICEQUOTAS_CALLS,
  SNS_CALLS,
  SQS_CALLS,
  SSM_CALLS,
  STATES_CALLS,
  TAGGING_CALLS,
} from './catalog/operations-calls.js';
import { ATHENA_CALLS, DYNAMODB_CALLS, GLUE_CALLS, RDS_CALLS, S3_CALLS } from './catalog/storage-calls.js';

export type { ApiCall, CallContext, CallShape } from './catalog/api-call.js';

const ALL: readonly ApiCall[] = [
  ...EC2_CALLS,
  ...AUTOSCALING_CALLS,
  ...ELB_CALLS,
  ...ECS_CALLS,
  ...ECR_CALLS,
  ...LAMBDA_CALLS,
  ...S3_CALLS,
  ...DYNAMODB_CALLS,
  ...RDS_CALLS,
  ...GLUE_CALLS,
  ...ATHENA_CALLS,
  ...IAM_CALLS,
  ...STS_CALLS,
  ...SIGNIN_CALLS,
  ...SSO_CALLS,
  ...SSO_OAUTH_CALLS,
  ...IDENTITYSTORE_CALLS,
  ...ORGANIZATIONS_CALLS,
  ...KMS_CALLS,
  ...SECRETSMANAGER_CALLS,
  ...ACM_CALLS,
  ...CLOUDTRAIL_CALLS,
  ...CONFIG_CALLS,
  ...GUARDDUTY_CALLS,
  ...SECURITYHUB_CALLS,
  ...ACCESS_ANALYZER_CALLS,
  ...CLOUDFORMATION_CALLS,
  ...LOGS_CALLS,
  ...MONITORING_CALLS,
  ...SSM_CALLS,
  ...EVENTS_CALLS,
  ...STATES_CALLS,
  ...SNS_CALLS,
  ...SQS_CALLS,
  ...ROUTE53_CALLS,
  ...CLOUDFRONT_CALLS,
  ...CE_CALLS,
  ...HEALTH_CALLS,
  ...TAGGING_CALLS,
  ...SERVICEQUOTAS_CALLS,
  ...APIGATEWAY_CALLS,
];

const BY_KEY = new Map(ALL.map((c) => [c.key, c]));

/** All calls of the catalog. */
export const API_CALLS: readonly ApiCall[] = ALL;

/** The call named `service:EventName`; throws on an unknown key. */
export function apiCall(key: string): ApiCall {
  const call = BY_KEY.get(key);
  if (!call) throw new Error(`No API call '${key}' in the demo event catalog`);
  return call;
}
