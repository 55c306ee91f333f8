/**
 * Turns "this caller made this call, here, now" into a CloudTrail record.
 *
 * Both the everyday activity and the planted incidents go through `EventRecorder.record`, so an
 * attacker's event is written exactly like anyone else's and can only be told apart by what it
 * says, as in a real trail. The recorder also decides where the event is recorded (global
 * services in us-east-1, S3 in the bucket's region) and, at the caller's error rate, which
 * error the call returns.
 *
 * A day's activity is written as bytes straight into its log files; the incidents are kept as
 * JSON text (their eventIDs go into the answers). Both produce the same text, which a test checks.
 */
import type { ApiCall, CallContext, CallShape } from './event-catalog.js';
import type { AccountInventory, Bucket, RegionInventory } from './inventory.js';
import type { LogFileAssembler } from './delivery.js';
import type { Account } from './organization.js';
import type { SeededRandom } from './random.js';
import { formatEventTime, recordFrame, recordHead, writeEventTime, writeRecord, type RecordParts } from './record-writer.js';
import type { World } from './world.js';

/** A principal making calls in one session: how it appears in every record of that session. */
export interface Caller {
  readonly userIdentity: string;
  readonly sourceIPAddress: string;
  readonly userAgent: (call: ApiCall) => string;
  readonly arn: string;
  readonly userName?: string;
  /** Console sessions set `sessionCredentialFromConsole`. */
  readonly fromConsole?: boolean;
  /** Calls made by AWS services on someone's behalf carry no tlsDetails. */
  readonly tls: false | 'TLSv1.2' | 'TLSv1.3';
  /** The same principal as seen when an AWS service (S3, Secrets Manager) calls KMS on its behalf. */
  readonly via?: (service: string) => Caller;
}

/** One generated record, with where and when it belongs for delivery. */
export interface GeneratedRecord {
  readonly account: number;
  readonly region: string;
  readonly time: number;
  readonly json: string;
}

export interface RecordOptions {
  /** The request/response to log instead of the catalog's usual shape (sessions and incidents use this). */
  readonly shape?: (c: CallContext) => CallShape;
  /** The error to return; `null` for none whatever the error rate. */
  readonly error?: readonly [code: string, message: string] | null;
  readonly errorRate?: number;
  readonly bucket?: Bucket;
  readonly sharedEventID?: string;
}

const VERSION_108 = new Set(['signin.amazonaws.com', 'sso.amazonaws.com', 'sts.amazonaws.com', 'sso-oauth.amazonaws.com']);

const HOST_PREFIX: Record<string, string> = { 'sso.amazonaws.com': 'portal.sso', 'sso-oauth.amazonaws.com': 'oidc' };
const GLOBAL_HOSTS: Record<string, string> = {
  'iam.amazonaws.com': 'iam.amazonaws.com',
  'route53.amazonaws.com': 'route53.amazonaws.com',
  'cloudfront.amazonaws.com': 'cloudfront.amazonaws.com',
  'signin.amazonaws.com': 'signin.aws.amazon.com',
};

function throttled(call: ApiCall): readonly [string, string] {
  switch (call.errorStyle) {
    case 'ec2':
      return ['Client.RequestLimitExceeded', 'Request limit exceeded.'];
    case 'query':
      return ['Throttling', 'Rate exceeded'];
    case 's3':
      return ['SlowDown', 'Please reduce your request rate.'];
    case 'json':
      return ['ThrottlingException', 'Rate exceeded'];
  }
}

/** AccessDenied as each protocol spells it, naming the caller and the IAM action. */
export function accessDenied(
  call: ApiCall,
  callerArn: string,
  account: Account,
  region: string,
  rng: SeededRandom,
): readonly [string, string] {
  const service = call.action.split(':')[0]!;
  const resource = `arn:aws:${service}:${call.global ? '' : region}:${account.id}:*`;
  switch (call.errorStyle) {
    case 'ec2':
      return [
        'Client.UnauthorizedOperation',
        `You are not authorized to perform this operation. User: ${callerArn} is not authorized to perform: ${call.action} on resource: ${resource} because no identity-based policy allows the ${call.action} action. Encoded authorization failure message: ${rng.mixedAlnum(48)}`,
      ];
    case 's3':
      return ['AccessDenied', 'Access Denied'];
    case 'query':
      return [
        'AccessDenied',
        `User: ${callerArn} is not authorized to perform: ${call.action} on resource: ${resource} because no identity-based policy allows the ${call.action} action`,
      ];
    case 'json':
      return [
        'AccessDeniedException',
        `User: ${callerArn} is not authorized to perform: ${call.action} on resource: ${resource} because no identity-based policy allows the ${call.action} action`,
      ];
  }
}

/** The per-call context handed to shapes; the request id is drawn only if the shape asks for it. */
class RecordContext implements CallContext {
  org: World['org'];
  account: Account;
  inventory: AccountInventory;
  regional: RegionInventory;
  region: string;
  time = 0;
  callerArn = '';
  callerUserName: string | undefined;
  bucket: Bucket | undefined;
  /** The request id once drawn (EC2 echoes it in responseElements), else undefined. */
  drawnRequestId: string | undefined;
  s3 = false;

  constructor(
    readonly rng: SeededRandom,
    world: World,
  ) {
    this.org = world.org;
    this.account = world.org.accounts[0]!;
    this.inventory = world.inventories[0]!;
    this.regional = this.inventory.region(this.account.homeRegion);
    this.region = this.account.homeRegion;
  }

  get requestId(): string {
    this.drawnRequestId ??= this.s3 ? this.rng.hex(16).toUpperCase() : this.rng.uuid();
    return this.drawnRequestId;
  }
}

const REGIONS: string[] = [];
const regionIndex = (region: string): number => {
  const i = REGIONS.indexOf(region);
  return i >= 0 ? i : REGIONS.push(region) - 1;
};

const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');
const SOURCE_IP = ascii('","sourceIPAddress":"');
const USER_AGENT = ascii('","userAgent":"');
const REQUEST_PARAMETERS = ascii(',"requestParameters":');
const RESPONSE_ELEMENTS = ascii(',"responseElements":');
const ADDITIONAL_EVENT_DATA = ascii(',"additionalEventData":');
const REQUEST_ID = ascii(',"requestID":"');
const EVENT_ID = ascii(',"eventID":"');
const RESOURCES = ascii(',"resources":');
const QUOTE = 34;

/** The bytes of a record that depend on the API alone. */
interface CallBytes {
  /** `","eventSource":"…","eventName":"…","awsRegion":"` */
  readonly names: Buffer;
  readonly readOnly: Buffer;
}

const callBytes = new Map<ApiCall, CallBytes>();
function bytesOf(call: ApiCall): CallBytes {
  let b = callBytes.get(call);
  if (!b) {
    const frame = recordFrame({ ...BLANK, eventSource: call.eventSource, eventName: call.eventName, readOnly: call.readOnly });
    b = {
      names: ascii(frame.middle.slice(0, frame.middle.indexOf('","sourceIPAddress":"') - BLANK.awsRegion.length)),
      readOnly: ascii(frame.readOnly),
    };
    callBytes.set(call, b);
  }
  return b;
}

/** The bytes of a caller that every record of its session shares. */
interface CallerBytes {
  /** `{"eventVersion":"1.08|1.09","userIdentity":…,"eventTime":"`, by version, made on first use. */
  head108?: Buffer;
  head109?: Buffer;
  readonly ip: Buffer;
}

const BLANK: RecordParts = {
  eventVersion: '',
  userIdentity: '',
  eventTime: '',
  eventSource: '',
  eventName: '',
  awsRegion: 'R',
  sourceIPAddress: '',
  userAgent: '',
  requestParameters: '',
  responseElements: '',
  eventID: '',
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '',
  eventCategory: 'Management',
};

function headBytes(version: string, caller: Caller): Buffer {
  return ascii(recordHead(version, caller.userIdentity));
}

/**
 * Record texts that depend on the world alone, not on the day: kept for as long as the world
 * lives, so a thread builds each once per run. Made per day, about one record in ten rebuilt its tail.
 */
interface WorldTexts {
  /** Record tails (eventType to the end) by API, then by account, endpoint, TLS and console: shared by all callers. */
  readonly tails: Map<ApiCall, Map<number | string, Buffer>>;
  readonly regions: Map<string, Buffer>;
  readonly tls: Map<string, string>;
}

const worldTexts = new WeakMap<World, WorldTexts>();

function textsOf(world: World): WorldTexts {
  let texts = worldTexts.get(world);
  if (!texts) worldTexts.set(world, (texts = { tails: new Map(), regions: new Map(), tls: new Map() }));
  return texts;
}

export class EventRecorder {
  /** The records, when they are not written into log files. */
  readonly records: GeneratedRecord[] = [];
  private readonly context: RecordContext;
  private readonly callers = new WeakMap<Caller, CallerBytes>();
  private readonly texts: WorldTexts;

  /**
   * @param files where a day's records are written as bytes; without it records are kept as
   *   JSON text in `records` and `record` returns their eventIDs (the planted incidents need them).
   */
  constructor(
    private readonly world: World,
    private readonly rng: SeededRandom,
    private readonly files?: LogFileAssembler,
  ) {
    this.context = new RecordContext(rng, world);
    this.texts = textsOf(world);
  }

  /** Records one call; returns its eventID, or `''` when written straight into a log file. */
  record(caller: Caller, call: ApiCall, account: Account, region: string, time: number, options: RecordOptions = {}): string {
    const rng = this.rng;
    const inventory = this.world.inventories[account.index]!;
    let bucket: Bucket | undefined;
    const s3 = call.eventSource === 's3.amazonaws.com';
    if (s3 && call.eventName !== 'ListBuckets') {
      bucket = options.bucket ?? this.bucketIn(account.index, region, call.data);
      region = bucket.region;
    } else if (call.global) {
      region = this.world.org.globalRegion;
    }
    const c = this.context;
    c.account = account;
    c.inventory = inventory;
    c.regional = inventory.region(region);
    c.region = region;
    c.time = time;
    c.callerArn = caller.arn;
    c.callerUserName = caller.userName;
    c.bucket = bucket;
    c.s3 = s3;
    c.drawnRequestId = undefined;
    const shape = (options.shape ?? call.shape)(c);

    let error = options.error;
    if (error === undefined && options.errorRate !== undefined && rng.next() < options.errorRate) {
      error =
        call.notFound && rng.chance(0.55)
          ? call.notFound
          : rng.chance(0.2)
            ? throttled(call)
            : accessDenied(call, caller.arn, account, region, rng);
    }
    if (this.files) {
      this.writeBytes(caller, call, account, region, time, shape, error ?? undefined, options.sharedEventID);
      return '';
    }
    const requestID = call.eventType === 'AwsApiCall' ? c.requestId : undefined;
    const eventID = rng.uuid();
    const json = writeRecord({
      ...this.fixedParts(caller, call, account, region, shape, options.sharedEventID),
      eventTime: formatEventTime(time),
      ...(error ? { errorCode: error[0], errorMessage: error[1] } : {}),
      requestParameters: shape.request,
      responseElements: error ? 'null' : (shape.response ?? 'null'),
      ...(shape.additionalEventData !== undefined ? { additionalEventData: shape.additionalEventData } : {}),
      ...(requestID !== undefined ? { requestID } : {}),
      eventID,
      ...(shape.resources !== undefined ? { resources: shape.resources } : {}),
    });
    this.records.push({ account: account.index, region, time, json });
    return eventID;
  }

  /** The parts of a record that do not change from one event to the next of a session. */
  private fixedParts(
    caller: Caller,
    call: ApiCall,
    account: Account,
    region: string,
    shape: CallShape,
    sharedEventID: string | undefined,
  ): RecordParts {
    return {
      eventVersion: VERSION_108.has(call.eventSource) ? '1.08' : '1.09',
      userIdentity: caller.userIdentity,
      eventTime: '',
      eventSource: call.eventSource,
      eventName: call.eventName,
      awsRegion: region,
      sourceIPAddress: caller.sourceIPAddress,
      userAgent: caller.userAgent(call),
      requestParameters: '',
      responseElements: '',
      eventID: '',
      readOnly: call.readOnly,
      eventType: call.eventType,
      ...(call.apiVersion !== undefined ? { apiVersion: call.apiVersion } : {}),
      managementEvent: !call.data,
      recipientAccountId: account.id,
      ...(sharedEventID !== undefined ? { sharedEventID } : {}),
      ...(shape.serviceEventDetails !== undefined ? { serviceEventDetails: shape.serviceEventDetails } : {}),
      eventCategory: call.data ? 'Data' : 'Management',
      ...(caller.tls ? { tlsDetails: this.tlsDetails(caller.tls, call, region, shape.host) } : {}),
      ...(caller.fromConsole ? { sessionCredentialFromConsole: true } : {}),
    };
  }

  /**
   * The same text as `writeRecord`, written as bytes into the record's log file. Pieces that
   * many records share (a session's identity, an API's names, a record's tail) are kept as
   * bytes; on these machines building a string per record cost more than compressing it.
   */
  private writeBytes(
    caller: Caller,
    call: ApiCall,
    account: Account,
    region: string,
    time: number,
    shape: CallShape,
    error: readonly [string, string] | undefined,
    sharedEventID: string | undefined,
  ): void {
    let who = this.callers.get(caller);
    if (!who) {
      who = { ip: ascii(caller.sourceIPAddress) };
      this.callers.set(caller, who);
    }
    const head = VERSION_108.has(call.eventSource)
      ? (who.head108 ??= headBytes('1.08', caller))
      : (who.head109 ??= headBytes('1.09', caller));
    const names = bytesOf(call);
    let regionBytes = this.texts.regions.get(region);
    if (!regionBytes) this.texts.regions.set(region, (regionBytes = ascii(region)));
    const tail = this.tail(caller, call, account, region, shape, sharedEventID);
    const userAgent = caller.userAgent(call);
    const errorText = error ? ',"errorCode":"' + error[0] + '","errorMessage":' + JSON.stringify(error[1]) : undefined;
    const request = shape.request;
    const response = error ? 'null' : (shape.response ?? 'null');
    const additional = shape.additionalEventData;
    const resources = shape.resources;
    const hasRequestId = call.eventType === 'AwsApiCall';
    const size =
      head.length +
      20 +
      names.names.length +
      regionBytes.length +
      SOURCE_IP.length +
      who.ip.length +
      USER_AGENT.length +
      userAgent.length +
      1 +
      (errorText ? errorText.length : 0) +
      REQUEST_PARAMETERS.length +
      request.length +
      RESPONSE_ELEMENTS.length +
      response.length +
      (additional ? ADDITIONAL_EVENT_DATA.length + additional.length : 0) +
      (hasRequestId ? REQUEST_ID.length + 37 : 0) +
      EVENT_ID.length +
      37 +
      names.readOnly.length +
      (resources ? RESOURCES.length + resources.length : 0) +
      tail.length;
    const file = this.files!.fileFor(account.index, region, time);
    const b = file.begin(time, size);
    let o = file.length;
    b.set(head, o);
    o = writeEventTime(b, o + head.length, time);
    b.set(names.names, o);
    o += names.names.length;
    b.set(regionBytes, o);
    o += regionBytes.length;
    b.set(SOURCE_IP, o);
    o += SOURCE_IP.length;
    b.set(who.ip, o);
    o += who.ip.length;
    b.set(USER_AGENT, o);
    o += USER_AGENT.length;
    o += b.write(userAgent, o, 'latin1');
    b[o++] = QUOTE;
    if (errorText) o += b.write(errorText, o, 'latin1');
    b.set(REQUEST_PARAMETERS, o);
    o += REQUEST_PARAMETERS.length;
    o += b.write(request, o, 'latin1');
    b.set(RESPONSE_ELEMENTS, o);
    o += RESPONSE_ELEMENTS.length;
    o += b.write(response, o, 'latin1');
    if (additional) {
      b.set(ADDITIONAL_EVENT_DATA, o);
      o += ADDITIONAL_EVENT_DATA.length;
      o += b.write(additional, o, 'latin1');
    }
    if (hasRequestId) {
      b.set(REQUEST_ID, o);
      o += REQUEST_ID.length;
      const drawn = this.context.drawnRequestId;
      if (drawn !== undefined) o += b.write(drawn, o, 'latin1');
      else o = call.eventSource === 's3.amazonaws.com' ? this.rng.writeUpperHex(b, o, 16) : this.rng.writeUuid(b, o);
      b[o++] = QUOTE;
    }
    b.set(EVENT_ID, o);
    o = this.rng.writeUuid(b, o + EVENT_ID.length);
    b[o++] = QUOTE;
    b.set(names.readOnly, o);
    o += names.readOnly.length;
    if (resources) {
      b.set(RESOURCES, o);
      o += RESOURCES.length;
      o += b.write(resources, o, 'latin1');
    }
    b.set(tail, o);
    file.length = o + tail.length;
  }

  /** From eventType to the closing brace: the same for every caller of an API in one place. */
  private tail(
    caller: Caller,
    call: ApiCall,
    account: Account,
    region: string,
    shape: CallShape,
    sharedEventID: string | undefined,
  ): Buffer {
    if (sharedEventID !== undefined || shape.serviceEventDetails !== undefined)
      return this.makeTail(caller, call, account, region, shape, sharedEventID);
    const variant = (caller.tls === false ? 0 : caller.tls === 'TLSv1.2' ? 1 : 2) + (caller.fromConsole ? 3 : 0);
    const key =
      shape.host !== undefined ? `${account.index}|${variant}|${shape.host}` : (account.index * 64 + regionIndex(region)) * 8 + variant;
    const tails = this.texts.tails;
    let byPlace = tails.get(call);
    if (!byPlace) tails.set(call, (byPlace = new Map()));
    let tail = byPlace.get(key);
    if (!tail) byPlace.set(key, (tail = this.makeTail(caller, call, account, region, shape, sharedEventID)));
    return tail;
  }

  private makeTail(
    caller: Caller,
    call: ApiCall,
    account: Account,
    region: string,
    shape: CallShape,
    sharedEventID: string | undefined,
  ): Buffer {
    return ascii(recordFrame(this.fixedParts(caller, call, account, region, shape, sharedEventID)).tail);
  }

  /** A bucket of the account in the region, or any of its buckets; for data events, one the trail logs data events of. */
  private bucketIn(accountIndex: number, region: string, data: boolean): Bucket {
    const inventory = this.world.inventories[accountIndex]!;
    const buckets = data && inventory.dataEventBuckets.length > 0 ? inventory.dataEventBuckets : inventory.buckets;
    const local = buckets.filter((b) => b.region === region);
    return this.rng.pick(local.length > 0 ? local : buckets);
  }

  private tlsDetails(version: 'TLSv1.2' | 'TLSv1.3', call: ApiCall, region: string, host: string | undefined): string {
    const endpoint =
      host ??
      GLOBAL_HOSTS[call.eventSource] ??
      `${HOST_PREFIX[call.eventSource] ?? call.eventSource.slice(0, -'.amazonaws.com'.length)}.${region}.amazonaws.com`;
    const key = `${version}|${endpoint}`;
    const cache = this.texts.tls;
    let text = cache.get(key);
    if (text === undefined) {
      const cipher = version === 'TLSv1.3' ? 'TLS_AES_128_GCM_SHA256' : 'ECDHE-RSA-AES128-GCM-SHA256';
      text = `{"tlsVersion":"${version}","cipherSuite":"${cipher}","clientProvidedHostHeader":"${endpoint}"}`;
      if (cache.size < 5000) cache.set(key, text);
    }
    return text;
  }
}
