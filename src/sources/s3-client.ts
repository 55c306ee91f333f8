/**
 * The one place an S3 client is configured, and where S3's failures become messages a
 * user can act on. Sources, the stream processor and the demo generator share it, so
 * credentials, endpoint and retries behave the same everywhere.
 */
import { PutObjectCommand, S3Client, S3ServiceException, type S3ClientConfig } from '@aws-sdk/client-s3';

export interface S3Options {
  /** Where requests go first; default `AWS_REGION`, `AWS_DEFAULT_REGION`, else `us-east-1` (a bucket elsewhere is followed by redirect). */
  readonly region?: string;
  /** A profile of `~/.aws/config` / `~/.aws/credentials`, for this client only (unlike `AWS_PROFILE`). */
  readonly profile?: string;
  /** An S3-compatible endpoint (MinIO, LocalStack, s3rver); default `AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`. */
  readonly endpointUrl?: string;
  /** Attempts per request, the first included, before a throttling or 5xx error is given up; default 5. */
  readonly maxAttempts?: number;
  /** `adaptive` also slows the client down when S3 throttles; default the SDK's (`AWS_RETRY_MODE`, else `standard`). */
  readonly retryMode?: 'standard' | 'adaptive';
  /** Requests in flight at once per source; default 8. */
  readonly concurrency?: number;
  /** `bucket` in the path instead of the host name; default true when an endpoint is given (S3-compatible servers want it). */
  readonly forcePathStyle?: boolean;
  /** Explicit credentials (tests, embedding); default the SDK's credential chain (env, profile, SSO, instance role). */
  readonly credentials?: S3ClientConfig['credentials'];
  /**
   * Milliseconds a connection may take to open, or stay silent mid-request, before the request
   * fails (and is retried); default 60,000. Without it an endpoint that takes the connection and
   * never answers holds a run, and the lake's write lock, for good.
   */
  readonly idleTimeoutMs?: number;
}

/**
 * An S3 client with the SDK's own retry strategy (exponential backoff with jitter on
 * throttling, 5xx and network errors), so nothing here retries by hand.
 *
 * @example
 * const client = createS3Client({ profile: 'audit', maxAttempts: 8 });
 */
const IDLE_TIMEOUT_MS = 60_000;

export function createS3Client(options: S3Options = {}): S3Client {
  const endpoint = options.endpointUrl ?? envValue('AWS_ENDPOINT_URL_S3') ?? envValue('AWS_ENDPOINT_URL');
  const config: S3ClientConfig = {
    region: options.region ?? envValue('AWS_REGION') ?? envValue('AWS_DEFAULT_REGION') ?? 'us-east-1',
    maxAttempts: options.maxAttempts ?? 5,
    followRegionRedirects: true,
    forcePathStyle: options.forcePathStyle ?? endpoint !== undefined,
    ...(options.retryMode ? { retryMode: options.retryMode } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    requestHandler: {
      connectionTimeout: options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
      socketTimeout: options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
    },
  };
  return new S3Client(config);
}

function envValue(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** A bucket and a key prefix, from `s3://bucket[/prefix]`. */
export interface S3Location {
  readonly bucket: string;
  /** Empty for the whole bucket; kept as written (`logs` and `logs/` differ, as in S3). */
  readonly prefix: string;
}

/**
 * @example parseS3Uri('s3://my-trail-bucket/org/AWSLogs/') // { bucket: 'my-trail-bucket', prefix: 'org/AWSLogs/' }
 */
export function parseS3Uri(uri: string): S3Location {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/s.exec(uri);
  if (!m) throw new Error(`${uri}: not an S3 location (write s3://bucket or s3://bucket/prefix)`);
  const bucket = m[1]!;
  if (!/^[A-Za-z0-9._-]{3,255}$/.test(bucket)) {
    throw new Error(`${uri}: "${bucket}" is not a bucket name (write s3://bucket or s3://bucket/prefix)`);
  }
  return { bucket, prefix: m[2] ?? '' };
}

/**
 * Writes one object, e.g. a generated log file, so a demo bucket looks like one CloudTrail
 * delivered to.
 */
export async function putObject(client: S3Client, bucket: string, key: string, bytes: Uint8Array): Promise<void> {
  try {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
  } catch (error) {
    throw S3SourceError.from(`s3://${bucket}/${key}`, error, 's3:PutObject');
  }
}

/** An S3 request that failed for good (after the SDK's retries), naming the object and what to do next. */
export class S3SourceError extends Error {
  override readonly name = 'S3SourceError';

  constructor(
    /** The `s3://` object or prefix the request was about. */
    readonly uri: string,
    /** S3's error code (`AccessDenied`, `NoSuchKey`, `SlowDown`), or a network error code. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /**
   * Describes an SDK error in S3's words plus a next step.
   * @param action the IAM action the request needed, named in AccessDenied advice.
   */
  static from(uri: string, error: unknown, action: 's3:ListBucket' | 's3:GetObject' | 's3:PutObject'): S3SourceError {
    if (error instanceof S3SourceError) return error;
    const { code, status, attempts } = errorFacts(error);
    const what = status !== undefined && !String(code).startsWith(String(status)) ? `${code} (HTTP ${status})` : code;
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    const advice = adviceFor(code, status, action);
    const detail = advice ?? (error instanceof Error && error.message ? error.message : 'no details');
    return new S3SourceError(uri, code, `${uri}: ${what}${tries} (${detail})`, { cause: error });
  }
}

function errorFacts(error: unknown): { code: string; status?: number; attempts: number } {
  if (error instanceof S3ServiceException) {
    return { code: error.name, status: error.$metadata.httpStatusCode, attempts: error.$metadata.attempts ?? 1 };
  }
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : error.name;
    const metadata = '$metadata' in error ? error.$metadata : undefined;
    const attempts =
      typeof metadata === 'object' && metadata !== null && 'attempts' in metadata && typeof metadata.attempts === 'number'
        ? metadata.attempts
        : 1;
    return { code, attempts };
  }
  return { code: String(error), attempts: 1 };
}

const CREDENTIAL_ERRORS = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'TokenRefreshRequired', 'InvalidToken']);
const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'TimeoutError',
]);

function adviceFor(code: string, status: number | undefined, action: string): string | undefined {
  if (code === 'NoSuchKey') return 'the object was deleted since it was listed; list again';
  if (code === 'PreconditionFailed') return 'the object changed since it was listed; list again to read the new version';
  if (code === 'NoSuchBucket') return 'check the bucket name, and the endpoint when one is set';
  if (code === 'AccessDenied' || code === 'AllAccessDisabled') {
    return `check the credentials/policy: they need ${action}, and kms:Decrypt when the trail encrypts with SSE-KMS`;
  }
  if (CREDENTIAL_ERRORS.has(code))
    return 'check the credentials: AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or an expired session token';
  if (code === 'CredentialsProviderError') {
    return 'no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or log in with `aws sso login`';
  }
  if (NETWORK_ERRORS.has(code)) return 'S3 could not be reached: check the network, and the endpoint URL when one is set';
  if (code === 'SlowDown' || status === 503) return 'S3 is throttling: retry later, or lower the concurrency';
  if (status !== undefined && status >= 500) return 'S3 failed on its side: retry later';
  return undefined;
}
