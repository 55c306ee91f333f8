import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ListObjectsV2CommandInput, S3Client } from '@aws-sdk/client-s3';
import { logFileName } from '../src/cloudtrail/log-file-key.js';
import { startS3rver, type S3rverProcess } from './support/s3rver.js';
import type { KeyFilter } from '../src/sources/log-source.js';
import { createS3Client, dateFolders, parseS3Uri, putObject, S3Source, type S3Options } from '../src/sources/s3-source.js';

const TRAIL_BUCKET = 'trail-bucket';
const MANY_KEYS_BUCKET = 'many-keys';
const ORG = 'o-abc123def4';

function logKey(account: string, region: string, day: string, options: { organizationId?: string; folder?: string } = {}): string {
  const [yyyy, mm, dd] = day.split('-');
  const org = options.organizationId ? `${options.organizationId}/` : '';
  const folder = options.folder ?? 'CloudTrail';
  const name = logFileName(account, region, new Date(`${day}T12:05:00Z`), 'Ab12Cd34').replace('_CloudTrail_', `_${folder}_`);
  return `AWSLogs/${org}${account}/${folder}/${region}/${yyyy}/${mm}/${dd}/${name}`;
}

/** A bucket as a trail, an organization trail and Insights leave it, with digests, Config and unrelated data beside. */
const TRAIL_KEYS = [
  logKey('111122223333', 'us-east-1', '2023-12-31'),
  logKey('111122223333', 'us-east-1', '2024-02-01'),
  logKey('111122223333', 'us-east-1', '2024-02-15'),
  logKey('111122223333', 'us-east-1', '2024-02-29'),
  logKey('111122223333', 'us-east-1', '2024-03-08'),
  logKey('111122223333', 'us-east-1', '2024-03-09'),
  logKey('111122223333', 'us-east-1', '2024-03-10'),
  logKey('111122223333', 'us-east-1', '2024-03-11'),
  logKey('111122223333', 'eu-west-1', '2024-03-09'),
  logKey('111122223333', 'eu-west-1', '2024-03-10'),
  logKey('111122223333', 'us-east-1', '2024-03-09', { folder: 'CloudTrail-Insight' }),
  logKey('111122223333', 'us-east-1', '2024-03-09', { folder: 'CloudTrail-Digest' }),
  logKey('444455556666', 'us-east-1', '2024-03-09'),
  logKey('444455556666', 'us-east-1', '2024-03-10'),
  logKey('111122223333', 'us-east-1', '2024-03-09', { organizationId: ORG }),
  logKey('111122223333', 'us-east-1', '2024-03-10', { organizationId: ORG }),
  logKey('111122223333', 'us-east-1', '2024-03-12', { organizationId: ORG }),
  logKey('777788889999', 'ap-northeast-1', '2024-03-10', { organizationId: ORG }),
  'AWSLogs/111122223333/Config/us-east-1/2024/3/9/ConfigSnapshot/111122223333_Config_us-east-1_ConfigSnapshot_20240309T120500Z_x.json.gz',
  'other-data/readme.txt',
  'other-data/2024/03/09/export.json',
].sort();

/** Folder markers, as the S3 console's "Create folder" leaves them: never yielded. */
const FOLDER_MARKERS = ['AWSLogs/', `AWSLogs/${ORG}/`];

const PAGED_KEYS = Array.from({ length: 1250 }, (_, i) => `logs/${String(i).padStart(5, '0')}.json`);

const bytesOf = (key: string): Uint8Array => new TextEncoder().encode(`{"Records":[],"key":${JSON.stringify(key)}}`);
const keysOf = async (source: S3Source, filter: KeyFilter): Promise<string[]> => {
  const keys: string[] = [];
  for await (const object of source.list(filter)) keys.push(object.key);
  return keys;
};

/** Records the input of every ListObjectsV2 request the client sends. */
function recordListings(client: S3Client): ListObjectsV2CommandInput[] {
  const listings: ListObjectsV2CommandInput[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'ListObjectsV2Command') listings.push({ ...(args.input as ListObjectsV2CommandInput) });
      return next(args);
    },
    { step: 'initialize', name: 'recordListings' },
  );
  return listings;
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** What the S3 proxy does with one request instead of forwarding it. */
type ProxyAnswer = { status: number; code: string } | { delayMs: number } | 'forward';

interface S3Proxy {
  readonly endpointUrl: string;
  /** GET requests seen per path (`/bucket/key`). */
  readonly gets: Map<string, IncomingMessage['headers'][]>;
  readonly maxGetsInFlight: () => number;
  close(): Promise<void>;
}

/** A plain HTTP proxy in front of s3rver that can fail or slow down chosen GETs, as S3 does under load. */
async function startS3Proxy(target: string, answer: (path: string, attempt: number) => ProxyAnswer): Promise<S3Proxy> {
  const gets = new Map<string, IncomingMessage['headers'][]>();
  let inFlight = 0;
  let maxInFlight = 0;
  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const upstream = request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    upstream.on('error', (error) => res.destroy(error));
    req.pipe(upstream);
  };
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://proxy').pathname);
    if (req.method !== 'GET' || new URL(req.url ?? '/', 'http://proxy').searchParams.has('list-type')) return forward(req, res);
    const seen = gets.get(path) ?? [];
    seen.push(req.headers);
    gets.set(path, seen);
    const decision = answer(path, seen.length);
    if (decision === 'forward') return forward(req, res);
    if ('delayMs' in decision) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.on('close', () => inFlight--);
      setTimeout(() => forward(req, res), decision.delayMs);
      return;
    }
    req.resume();
    res.writeHead(decision.status, { 'content-type': 'application/xml' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${decision.code}</Code><Message>injected by the test</Message><RequestId>test</RequestId></Error>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpointUrl: `http://127.0.0.1:${port}`,
    gets,
    maxGetsInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

describe('S3Source', () => {
  let directory: string;
  let server: S3rverProcess;
  let endpointUrl: string;
  const proxies: S3Proxy[] = [];
  const options = (extra: S3Options = {}): S3Options => ({
    endpointUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    ...extra,
  });
  const proxy = async (answer: (path: string, attempt: number) => ProxyAnswer): Promise<S3Proxy> => {
    const started = await startS3Proxy(endpointUrl, answer);
    proxies.push(started);
    return started;
  };

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'trailscope-s3-'));
    server = await startS3rver(directory, [TRAIL_BUCKET, MANY_KEYS_BUCKET]);
    endpointUrl = server.endpointUrl;
    const client = createS3Client(options());
    const puts: [string, string][] = [
      ...[...TRAIL_KEYS, ...FOLDER_MARKERS].map((key): [string, string] => [TRAIL_BUCKET, key]),
      ...[...PAGED_KEYS, 'logs-old/a.json', 'other/b.json'].map((key): [string, string] => [MANY_KEYS_BUCKET, key]),
    ];
    await inParallel(puts, 32, ([bucket, key]) => putObject(client, bucket, key, key.endsWith('/') ? new Uint8Array() : bytesOf(key)));
    client.destroy();
  });

  after(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    await server?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  describe('list(filter)', () => {
    it('lists every object below the prefix in key order, skipping folder markers', async () => {
      const source = new S3Source(`s3://${TRAIL_BUCKET}/AWSLogs/${ORG}/`, options());
      const objects = [];
      for await (const object of source.list({})) objects.push(object);
      assert.deepEqual(
        objects.map((o) => o.key),
        TRAIL_KEYS.filter((key) => key.startsWith(`AWSLogs/${ORG}/`)),
      );
      const first = objects[0]!;
      assert.equal(first.uri, `s3://${TRAIL_BUCKET}/${first.key}`);
      assert.equal(first.size, bytesOf(first.key).byteLength);
      assert.equal(first.version, createHash('md5').update(bytesOf(first.key)).digest('hex'));
    });

    it('applies accounts and regions to each key when no date range is given, keeping keys outside the layout', async () => {
      const source = new S3Source(`s3://${TRAIL_BUCKET}`, options());
      const keys = await keysOf(source, { accounts: ['444455556666', '777788889999'], regions: ['us-east-1', 'ap-northeast-1'] });
      assert.deepEqual(keys, [
        TRAIL_KEYS.find((key) => key.includes('/Config/')),
        logKey('444455556666', 'us-east-1', '2024-03-09'),
        logKey('444455556666', 'us-east-1', '2024-03-10'),
        logKey('777788889999', 'ap-northeast-1', '2024-03-10', { organizationId: ORG }),
        'other-data/2024/03/09/export.json',
        'other-data/readme.txt',
      ]);
    });

    it('pages through more than 1,000 keys with continuation tokens', async () => {
      const source = new S3Source(`s3://${MANY_KEYS_BUCKET}/logs/`, options());
      const listings = recordListings(source.client);
      const keys = await keysOf(source, {});
      assert.equal(keys.length, 1250);
      assert.deepEqual(keys, PAGED_KEYS);
      assert.equal(listings.length, 2);
      assert.equal(listings[0]!.ContinuationToken, undefined);
      assert.ok(listings[1]!.ContinuationToken, 'the second page is asked for with the first page’s token');
    });

    it('lists only the day prefixes of the date range', async () => {
      const source = new S3Source(`s3://${TRAIL_BUCKET}`, options());
      const listings = recordListings(source.client);
      const keys = await keysOf(source, { since: '2024-03-09', until: '2024-03-10', regions: ['us-east-1'] });
      // In key order: `CloudTrail-Insight/` sorts before `CloudTrail/` ('-' < '/').
      assert.deepEqual(keys, [
        logKey('111122223333', 'us-east-1', '2024-03-09', { folder: 'CloudTrail-Insight' }),
        logKey('111122223333', 'us-east-1', '2024-03-09'),
        logKey('111122223333', 'us-east-1', '2024-03-10'),
        logKey('444455556666', 'us-east-1', '2024-03-09'),
        logKey('444455556666', 'us-east-1', '2024-03-10'),
        logKey('111122223333', 'us-east-1', '2024-03-09', { organizationId: ORG }),
        logKey('111122223333', 'us-east-1', '2024-03-10', { organizationId: ORG }),
      ]);
      const full = listings.filter((l) => !l.Delimiter).map((l) => l.Prefix);
      assert.deepEqual(full.sort(), [
        'AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2024/03/09/',
        'AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2024/03/10/',
        'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/09/',
        'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/10/',
        'AWSLogs/444455556666/CloudTrail/us-east-1/2024/03/09/',
        'AWSLogs/444455556666/CloudTrail/us-east-1/2024/03/10/',
        `AWSLogs/${ORG}/111122223333/CloudTrail/us-east-1/2024/03/09/`,
        `AWSLogs/${ORG}/111122223333/CloudTrail/us-east-1/2024/03/10/`,
      ]);
      const walked = listings.filter((l) => l.Delimiter).map((l) => l.Prefix ?? '');
      assert.ok(listings.every((l) => !l.Delimiter || l.Delimiter === '/'));
      assert.equal(walked[0], '', 'the bucket root is walked once, to find AWSLogs/');
      for (const prefix of walked.slice(1)) {
        assert.match(prefix, /^AWSLogs\//, 'the folders beside AWSLogs/ are not searched');
        assert.doesNotMatch(prefix, /\/(eu-west-1|ap-northeast-1|CloudTrail-Digest|Config)\//, 'no folder outside the filter is walked');
        assert.doesNotMatch(prefix, /\/\d{4}\//, 'date folders are named, not discovered');
      }
    });

    it('finds the accounts of an organization trail and lists a whole month as one prefix', async () => {
      const source = new S3Source(`s3://${TRAIL_BUCKET}/AWSLogs/${ORG}/`, options());
      const listings = recordListings(source.client);
      const keys = await keysOf(source, { since: '2024-03-01', until: '2024-03-31', accounts: ['777788889999'] });
      assert.deepEqual(keys, [logKey('777788889999', 'ap-northeast-1', '2024-03-10', { organizationId: ORG })]);
      assert.deepEqual(
        listings.map((l) => [l.Prefix, l.Delimiter ?? null]),
        [
          [`AWSLogs/${ORG}/`, '/'],
          [`AWSLogs/${ORG}/777788889999/`, '/'],
          [`AWSLogs/${ORG}/777788889999/CloudTrail/`, '/'],
          [`AWSLogs/${ORG}/777788889999/CloudTrail/ap-northeast-1/2024/03/`, null],
        ],
      );
    });

    it('starts from a prefix that already points at an account, a trail folder, a region or a month', async () => {
      const expected = [logKey('111122223333', 'us-east-1', '2024-03-09'), logKey('111122223333', 'us-east-1', '2024-03-10')];
      const starts = [
        ['AWSLogs/111122223333/', [logKey('111122223333', 'us-east-1', '2024-03-09', { folder: 'CloudTrail-Insight' }), ...expected]],
        ['AWSLogs/111122223333/CloudTrail/', expected],
        ['AWSLogs/111122223333/CloudTrail/us-east-1/', expected],
        ['AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/', expected],
        ['AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/10/', expected.slice(1)],
      ] as const;
      for (const [prefix, keys] of starts) {
        const source = new S3Source(`s3://${TRAIL_BUCKET}/${prefix}`, options());
        const listings = recordListings(source.client);
        assert.deepEqual(await keysOf(source, { since: '2024-03-09', until: '2024-03-10', regions: ['us-east-1'] }), keys, prefix);
        for (const listing of listings) {
          assert.ok((listing.Prefix ?? '').startsWith(prefix), `${listing.Prefix} stays below ${prefix}`);
          if (!listing.Delimiter) assert.match(listing.Prefix ?? '', /\/2024\/03\/(09|10)\/$/, prefix);
        }
      }
    });

    it('covers a range across a year end with day and month prefixes', async () => {
      const source = new S3Source(`s3://${TRAIL_BUCKET}/AWSLogs/111122223333/CloudTrail/`, options());
      const listings = recordListings(source.client);
      const keys = await keysOf(source, { since: '2023-12-31', until: '2024-02-29', regions: ['us-east-1'] });
      assert.deepEqual(
        keys,
        ['2023-12-31', '2024-02-01', '2024-02-15', '2024-02-29'].map((day) => logKey('111122223333', 'us-east-1', day)),
      );
      assert.deepEqual(
        listings.filter((l) => !l.Delimiter).map((l) => l.Prefix),
        [
          'AWSLogs/111122223333/CloudTrail/us-east-1/2023/12/31/',
          'AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/',
          'AWSLogs/111122223333/CloudTrail/us-east-1/2024/02/',
        ],
      );
    });

    it('finds the first year of a region when only until is given', async () => {
      const source = new S3Source(`s3://${TRAIL_BUCKET}/AWSLogs/111122223333/CloudTrail/us-east-1/`, options());
      const listings = recordListings(source.client);
      const keys = await keysOf(source, { until: '2024-02-01' });
      assert.deepEqual(keys, [logKey('111122223333', 'us-east-1', '2023-12-31'), logKey('111122223333', 'us-east-1', '2024-02-01')]);
      assert.deepEqual(
        listings.map((l) => [l.Prefix, l.Delimiter ?? null]),
        [
          ['AWSLogs/111122223333/CloudTrail/us-east-1/', '/'],
          ['AWSLogs/111122223333/CloudTrail/us-east-1/2023/', null],
          ['AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/', null],
          ['AWSLogs/111122223333/CloudTrail/us-east-1/2024/02/01/', null],
        ],
      );
    });

    it('lists everything below a prefix that holds no AWSLogs folder, and filters by key', async () => {
      const source = new S3Source(`s3://${TRAIL_BUCKET}/other-data/`, options());
      const keys = await keysOf(source, { since: '2024-03-01', until: '2024-03-31' });
      assert.deepEqual(keys, ['other-data/2024/03/09/export.json', 'other-data/readme.txt']);
    });

    it('says when the bucket does not exist', async () => {
      const source = new S3Source('s3://no-such-trail-bucket/AWSLogs/', options());
      await assert.rejects(
        keysOf(source, { since: '2024-03-09' }),
        /^S3SourceError: s3:\/\/no-such-trail-bucket\/AWSLogs\/: NoSuchBucket \(HTTP 404\) \(check the bucket name/,
      );
    });

    it('names the bucket and the credentials when S3 refuses them', async () => {
      const source = new S3Source(
        `s3://${TRAIL_BUCKET}/AWSLogs/`,
        options({ credentials: { accessKeyId: 'NOT-S3RVER', secretAccessKey: 'x' }, maxAttempts: 1 }),
      );
      await assert.rejects(keysOf(source, {}), (error: Error) => {
        assert.match(error.message, /^s3:\/\/trail-bucket\/AWSLogs\/: InvalidAccessKeyId \(HTTP 403\) \(check the credentials/);
        return true;
      });
    });
  });

  describe('read(object)', () => {
    const key = logKey('111122223333', 'eu-west-1', '2024-03-09');
    const objectOf = async (source: S3Source) => {
      for await (const object of source.list({})) if (object.key === key) return object;
      throw new Error(`${key} not listed`);
    };

    it('returns the bytes of the object', async () => {
      const source = new S3Source(`s3://${TRAIL_BUCKET}/AWSLogs/111122223333/CloudTrail/eu-west-1/`, options());
      assert.deepEqual(await source.read(await objectOf(source)), bytesOf(key));
    });

    it('retries an object that S3 throttles twice with 503 SlowDown, asking for the listed ETag', async () => {
      const throttling = await proxy((path, attempt) =>
        path === `/${TRAIL_BUCKET}/${key}` && attempt <= 2 ? { status: 503, code: 'SlowDown' } : 'forward',
      );
      const source = new S3Source(
        `s3://${TRAIL_BUCKET}/AWSLogs/111122223333/CloudTrail/eu-west-1/`,
        options({ endpointUrl: throttling.endpointUrl }),
      );
      const object = await objectOf(source);
      assert.deepEqual(await source.read(object), bytesOf(key));
      const gets = throttling.gets.get(`/${TRAIL_BUCKET}/${key}`) ?? [];
      assert.equal(gets.length, 3);
      assert.ok(gets.every((headers) => headers['if-match'] === `"${object.version}"`));
    });

    it('gives up after maxAttempts on an object that keeps failing, naming its uri', async () => {
      const failing = await proxy((path) => (path === `/${TRAIL_BUCKET}/${key}` ? { status: 500, code: 'InternalError' } : 'forward'));
      const source = new S3Source(
        `s3://${TRAIL_BUCKET}/AWSLogs/111122223333/CloudTrail/eu-west-1/`,
        options({ endpointUrl: failing.endpointUrl, maxAttempts: 3 }),
      );
      const object = await objectOf(source);
      await assert.rejects(source.read(object), (error: Error) => {
        assert.equal(
          error.message,
          `s3://${TRAIL_BUCKET}/${key}: InternalError (HTTP 500) after 3 attempts (S3 failed on its side: retry later)`,
        );
        return true;
      });
      assert.equal(failing.gets.get(`/${TRAIL_BUCKET}/${key}`)?.length, 3);
    });

    it('says an object that no longer exists was deleted since listing', async () => {
      const source = new S3Source(`s3://${TRAIL_BUCKET}`, options());
      const missing = { uri: `s3://${TRAIL_BUCKET}/AWSLogs/gone.json.gz`, key: 'AWSLogs/gone.json.gz', size: 1, version: '' };
      await assert.rejects(
        source.read(missing),
        /^S3SourceError: s3:\/\/trail-bucket\/AWSLogs\/gone\.json\.gz: NoSuchKey \(HTTP 404\) \(the object was deleted since it was listed/,
      );
    });

    it('keeps at most `concurrency` reads in flight however many are asked for at once', async () => {
      const slow = await proxy(() => ({ delayMs: 40 }));
      const source = new S3Source(`s3://${TRAIL_BUCKET}/AWSLogs/`, options({ endpointUrl: slow.endpointUrl, concurrency: 3 }));
      const objects = [];
      for await (const object of source.list({})) objects.push(object);
      const bytes = await Promise.all(objects.map((object) => source.read(object)));
      assert.deepEqual(
        bytes,
        objects.map((object) => (object.size === 0 ? new Uint8Array() : bytesOf(object.key))),
      );
      assert.ok(objects.length > 10);
      assert.equal(slow.maxGetsInFlight(), 3);
    });
  });
});

describe('dateFolders(since, until)', () => {
  it('names whole years and months with one folder and the other days one by one', () => {
    assert.deepEqual(dateFolders('2023-12-30', '2025-03-02'), [
      '2023/12/30/',
      '2023/12/31/',
      '2024/',
      '2025/01/',
      '2025/02/',
      '2025/03/01/',
      '2025/03/02/',
    ]);
    assert.deepEqual(
      dateFolders('2024-02-01', '2024-02-28'),
      Array.from({ length: 28 }, (_, i) => `2024/02/${String(i + 1).padStart(2, '0')}/`),
    );
    assert.deepEqual(dateFolders('2024-02-01', '2024-02-29'), ['2024/02/']);
    assert.deepEqual(dateFolders('2024-03-10', '2024-03-09'), []);
  });
});

describe('parseS3Uri(uri)', () => {
  it('reads the bucket and keeps the prefix as written', () => {
    assert.deepEqual(parseS3Uri('s3://my-trail-bucket'), { bucket: 'my-trail-bucket', prefix: '' });
    assert.deepEqual(parseS3Uri('s3://my-trail-bucket/'), { bucket: 'my-trail-bucket', prefix: '' });
    assert.deepEqual(parseS3Uri('s3://my-trail-bucket/org/AWSLogs'), { bucket: 'my-trail-bucket', prefix: 'org/AWSLogs' });
  });

  it('refuses what is not an s3:// location', () => {
    assert.throws(() => parseS3Uri('https://my-trail-bucket.s3.amazonaws.com/x'), /not an S3 location/);
    assert.throws(() => parseS3Uri('s3://'), /not an S3 location/);
  });
});
