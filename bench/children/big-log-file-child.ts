/**
 * Child: writes one plain `.json` log file `{"Records":[...]}` of at least `targetBytes`,
 * from the records of generated log files, repeated with fresh eventIDs (so none is a
 * duplicate of another) until it is large enough. The file tests that ingest streams a
 * single huge log file instead of holding it, its text and its rows all at once.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { childMain } from './child-main.js';

export interface BigLogFileRequest {
  readonly fileList: string;
  readonly out: string;
  readonly targetBytes: number;
}

export interface BigLogFileValue {
  readonly bytes: number;
  readonly records: number;
}

/** UUID-shaped, distinct for each n, and unlike any id the generator writes. */
const freshEventId = (n: number) => `bbbbbbbb-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

childMain<BigLogFileRequest, BigLogFileValue>(async (r) => {
  const files = JSON.parse(await readFile(r.fileList, 'utf8')) as string[];
  const out = createWriteStream(r.out);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  let bytes = 0;
  let records = 0;
  await write('{"Records":[');
  bytes += 12;
  for (let i = 0; bytes < r.targetBytes; i = (i + 1) % files.length) {
    const parsed = JSON.parse(gunzipSync(await readFile(files[i]!)).toString('utf8')) as { Records: Array<Record<string, unknown>> };
    for (const record of parsed.Records) {
      record.eventID = freshEventId(records);
      const text = (records ? ',' : '') + JSON.stringify(record);
      await write(text);
      bytes += Buffer.byteLength(text);
      records++;
    }
  }
  await write(']}');
  bytes += 2;
  out.end();
  await once(out, 'finish');
  return { bytes, records };
});
