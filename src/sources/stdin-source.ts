/**
 * `-`: one log file piped in (`aws s3 cp s3://b/k.json.gz - | trailscope ingest -`).
 * Named by a hash of its content, so piping the same file twice ingests it once.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { KeyFilter, LogSource, SourceObject } from './log-source.js';

export class StdinSource implements LogSource {
  readonly uri = 'stdin:';
  #bytes: Promise<Buffer> | undefined;

  constructor(private readonly input: Readable = process.stdin) {}

  #read(): Promise<Buffer> {
    this.#bytes ??= (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of this.input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      return Buffer.concat(chunks);
    })();
    return this.#bytes;
  }

  async *list(_filter: KeyFilter): AsyncIterable<SourceObject> {
    const bytes = await this.#read();
    const hash = createHash('sha256').update(bytes).digest('hex');
    yield { uri: `stdin:sha256:${hash}`, key: 'stdin', size: bytes.byteLength, version: `sha256:${hash}` };
  }

  async read(_object: SourceObject): Promise<Uint8Array> {
    return this.#read();
  }
}
