/**
 * One AWS API as CloudTrail records it: its event source and name, whether it only reads,
 * and how its requestParameters/responseElements look.
 *
 * The shapes follow what the real services log (EC2's `items` wrappers, IAM's
 * `"Oct 15, 2026, 2:03:09 PM"` dates, S3's `Host` and `x-amz-id-2`, Lambda's versioned event
 * names), because detections and Athena queries written against real trails
 * (`json_extract_scalar(requestparameters, '$.changeBatch.changes[0].action')`) must work on
 * the demo data too.
 */
import type { AccountInventory, Bucket, RegionInventory } from '../inventory.js';
import type { Account, Organization } from '../organization.js';
import type { SeededRandom } from '../random.js';

/** Everything a call's shape may name, reset for each record (one object reused for speed). */
export interface CallContext {
  rng: SeededRandom;
  org: Organization;
  account: Account;
  inventory: AccountInventory;
  regional: RegionInventory;
  region: string;
  /** Milliseconds since the epoch of the event. */
  time: number;
  requestId: string;
  callerArn: string;
  callerUserName: string | undefined;
  /** The bucket of an S3 call: chosen by the player, which also records the call in the bucket's region. */
  bucket: Bucket | undefined;
}

/** The JSON texts of one call; `request` is `'null'` when the API logs no parameters. */
export interface CallShape {
  readonly request: string;
  readonly response?: string;
  readonly resources?: string;
  readonly additionalEventData?: string;
  readonly serviceEventDetails?: string;
  /** The endpoint the client addressed (tlsDetails.clientProvidedHostHeader), when not the service's usual one. */
  readonly host?: string;
}

/** How a service reports errors: the wire protocol decides the error code's spelling. */
export type ErrorStyle = 'ec2' | 'query' | 'json' | 's3';

export interface ApiCall {
  /** `ec2:DescribeInstances`: the service prefix of the event source and the event name. */
  readonly key: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly readOnly: boolean;
  /** An S3 object-level data event (`eventCategory` Data, `managementEvent` false). */
  readonly data: boolean;
  /** Recorded in us-east-1 whatever region the caller works in (IAM, Route 53, CloudFront...). */
  readonly global: boolean;
  readonly eventType: 'AwsApiCall' | 'AwsServiceEvent' | 'AwsConsoleSignIn';
  readonly errorStyle: ErrorStyle;
  /** The IAM action name (`lambda:GetFunction` for `GetFunction20150331v2`). */
  readonly action: string;
  /** The AWS CLI command, as aws-cli/2 reports it in `md/command#`. */
  readonly cliCommand: string;
  readonly apiVersion?: string;
  /** An error the call commonly returns on missing configuration (`NoSuchBucketPolicy`). */
  readonly notFound?: readonly [code: string, message: string];
  readonly shape: (c: CallContext) => CallShape;
}

export interface CallDefinition {
  readonly name: string;
  readonly read?: boolean;
  readonly shape?: (c: CallContext) => CallShape;
  readonly notFound?: readonly [string, string];
  readonly global?: boolean;
  readonly data?: boolean;
  readonly eventType?: ApiCall['eventType'];
}

const CLI_SERVICE: Record<string, string> = {
  monitoring: 'cloudwatch',
  elasticloadbalancing: 'elbv2',
  states: 'stepfunctions',
  'access-analyzer': 'accessanalyzer',
  s3: 's3api',
};

const ERROR_STYLE: Record<string, ErrorStyle> = {
  ec2: 'ec2',
  s3: 's3',
  iam: 'query',
  sts: 'query',
  cloudformation: 'query',
  rds: 'query',
  elasticloadbalancing: 'query',
  autoscaling: 'query',
  sns: 'query',
  sqs: 'query',
  monitoring: 'query',
  route53: 'query',
  cloudfront: 'query',
  signin: 'query',
};

const API_VERSION: Record<string, string> = { route53: '2013-04-01', cloudfront: '2020_05_31' };

const NO_PARAMETERS: CallShape = { request: 'null' };

/** Lambda's event names carry the API version (`GetFunction20150331v2`); IAM actions do not. */
const baseName = (eventName: string): string => eventName.replace(/\d{8}(v\d)?$/, '');

const kebab = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();

/**
 * The calls of one service.
 * @example defineCalls('ec2', [{ name: 'DescribeRegions', read: true }])
 */
export function defineCalls(service: string, definitions: readonly CallDefinition[]): ApiCall[] {
  const eventSource = `${service}.amazonaws.com`;
  return definitions.map((d) => {
    const name = baseName(d.name);
    const readOnly =
      d.read ??
      /^(Describe|Get|List|Lookup|Search|Select|Head|BatchGet|BatchCheck|Validate|Filter|Check|Discover|Simulate|Decode)/.test(d.name);
    return {
      key: `${service}:${d.name}`,
      eventSource,
      eventName: d.name,
      readOnly,
      data: d.data ?? false,
      global: d.global ?? false,
      eventType: d.eventType ?? 'AwsApiCall',
      errorStyle: ERROR_STYLE[service] ?? 'json',
      action: `${service === 'monitoring' ? 'cloudwatch' : service}:${name}`,
      cliCommand: `${CLI_SERVICE[service] ?? service}.${kebab(name)}`,
      ...(API_VERSION[service] ? { apiVersion: API_VERSION[service] } : {}),
      ...(d.notFound ? { notFound: d.notFound } : {}),
      shape: d.shape ?? (() => NO_PARAMETERS),
    };
  });
}

/** A shape with only requestParameters. */
export const request = (json: string): CallShape => ({ request: json });
