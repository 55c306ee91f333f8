/**
 * Writing log files to a bucket, for `trailscope generate s3://bucket/prefix`: the same
 * client, endpoint and retry settings as reading, so a generated trail can be ingested back.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client, parseS3Uri, putObject, type S3Options } from './s3-client.js';

export class S3Sink {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(uri: string, options: S3Options = {}) {
    const { bucket, prefix } = parseS3Uri(uri);
    this.#client = createS3Client(options);
    this.#bucket = bucket;
    this.#prefix = prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix;
  }

  write(key: string, bytes: Uint8Array): Promise<void> {
    return putObject(this.#client, this.#bucket, `${this.#prefix}${key}`, bytes);
  }

  async close(): Promise<void> {
    this.#client.destroy();
  }
}
